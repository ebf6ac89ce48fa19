// Thin handlers for routes with path parameters (/api/runs/{id}/trades, /api/strategies/{strategy_id}):
// parse the path and the query (or JSON body) with the registry's schemas, run the work, check the answer.
import 'server-only';
import { ValidationError } from '@barstream/core';
import type { z } from 'zod';
import type { ApiRoute } from './api-route.ts';
import { jsonResponse } from './http-errors.ts';
import { parseQuery } from './parse-query.ts';
import { STRATEGY_ID_PATTERN } from './strategy-schemas.ts';
import { idParameter, readJsonBody } from './write-handler.ts';
import type { ApiWriteRoute } from './write-routes.ts';

export interface PathContext<P extends string> {
  readonly params: Promise<Record<P, string>>;
}

export function strategyIdParameter(text: string): string {
  if (text.length > 100 || !STRATEGY_ID_PATTERN.test(text)) {
    throw new ValidationError('strategy_id', 'must be lowercase letters, digits, _ and - (at most 100)');
  }
  return text;
}

export function apiGetAt<P extends string, Q extends z.ZodType, R extends z.ZodType, A>(
  route: ApiRoute<Q, R>,
  path: (params: Record<P, string>) => A,
  work: (query: z.output<Q>, at: A) => Promise<z.input<R>>,
): (request: Request, context: PathContext<P>) => Promise<Response> {
  return (request, context) =>
    jsonResponse(async () => {
      const at = path(await context.params);
      const query = parseQuery(route.query, new URL(request.url).searchParams);
      return { body: route.response.parse(await work(query, at)) };
    });
}

/** The body a write route takes: its JSON schema's output; `null` for a route without one. An empty
 * body reads as `{}` (POST …/emergency-stop with nothing to say). */
type BodyOf<W> = W extends ApiWriteRoute<infer B> ? (W['body'] extends null ? null : z.output<B>) : never;

export function apiWriteAt<P extends string, W extends ApiWriteRoute, A>(
  route: W,
  path: (params: Record<P, string>) => A,
  work: (body: BodyOf<W>, at: A) => Promise<z.input<W['response']>>,
): (request: Request, context: PathContext<P>) => Promise<Response> {
  return (request, context) =>
    jsonResponse(async () => {
      const at = path(await context.params);
      const body = route.body !== null && 'json' in route.body ? await readJsonOrEmpty(request, route.body.json) : null;
      return { body: route.response.parse(await work(body as BodyOf<W>, at)), status: route.status };
    });
}

async function readJsonOrEmpty<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S>> {
  if (request.headers.get('content-length') === '0' || request.body === null) {
    const parsed = schema.safeParse({});
    if (parsed.success) return parsed.data;
  }
  return readJsonBody(request, schema);
}

export const noPath = (): null => null;
export const runIdPath = (p: Record<'id', string>): bigint => idParameter(p.id);
export const strategyPath = (p: Record<'strategy_id', string>): string => strategyIdParameter(p.strategy_id);

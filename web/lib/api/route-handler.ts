// Builds a thin GET handler from a registry route: zod-parse the query, run the work, zod-parse
// the answer (a shape drift is a server bug, caught here rather than in every client), map errors.
import 'server-only';
import type { z } from 'zod';
import { jsonResponse } from './http-errors.ts';
import { parseQuery } from './parse-query.ts';
import type { ApiRoute } from './routes.ts';

export interface ApiGetOptions<R extends z.ZodType> {
  /** The status of a successful answer (default 200): /api/health answers 503 with its body. */
  readonly status?: (body: z.output<R>) => number;
}

export function apiGet<Q extends z.ZodType, R extends z.ZodType>(
  route: ApiRoute<Q, R>,
  work: (query: z.output<Q>, request: Request) => Promise<z.input<R>>,
  options: ApiGetOptions<R> = {},
): (request: Request) => Promise<Response> {
  return (request) =>
    jsonResponse(async () => {
      const query = parseQuery(route.query, new URL(request.url).searchParams);
      const body = route.response.parse(await work(query, request));
      return { body, status: options.status?.(body) ?? 200 };
    });
}

/** Like apiGet for an answer built as JSON text from parts each checked with the route's schemas
 * (web/lib/api/ohlc-json.ts): 10,000 bars are cheaper joined from memoised text than re-encoded.
 * A stream is sent as it is read (web/lib/queries/ohlc-stream.ts). */
export function apiGetJsonText<Q extends z.ZodType>(
  route: ApiRoute<Q>,
  work: (query: z.output<Q>, request: Request) => Promise<string | ReadableStream<Uint8Array>>,
): (request: Request) => Promise<Response> {
  return (request) =>
    jsonResponse(async () => {
      const query = parseQuery(route.query, new URL(request.url).searchParams);
      return { text: await work(query, request) };
    });
}

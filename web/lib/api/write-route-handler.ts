// Builds a thin write handler from a write-routes.ts entry: read and zod-parse the JSON body (when the
// route takes one), run the work with the path parameters, zod-parse the answer, map errors.
import 'server-only';
import type { z } from 'zod';
import { jsonResponse } from './http-errors.ts';
import { readJsonBody } from './write-handler.ts';
import type { ApiWriteRoute } from './write-routes.ts';

export interface RouteContext {
  readonly params: Promise<Record<string, string>>;
}

export function apiWrite<B extends z.ZodType, R extends z.ZodType>(
  route: ApiWriteRoute<B, R>,
  work: (body: z.output<B>, params: Record<string, string>) => Promise<z.input<R>>,
): (request: Request, context: RouteContext) => Promise<Response> {
  return (request, context) =>
    jsonResponse(async () => {
      const params = await context.params;
      const body = route.body !== null && 'json' in route.body ? await readJsonBody(request, route.body.json) : (undefined as z.output<B>);
      return { body: route.response.parse(await work(body, params)), status: route.status };
    });
}

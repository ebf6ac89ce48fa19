// The one mapping from thrown errors to HTTP responses: client mistakes are 4xx with the field
// and reason, anything unexpected is logged and answered with an opaque 500.
import 'server-only';
import { BarstreamError, NotFoundError, ValidationError } from '@barstream/core';
import type { ApiError } from './api-schemas.ts';
import { webLogger } from './server/logger.ts';

function body(code: string, message: string, field?: string): ApiError {
  return { error: field === undefined ? { code, message } : { code, field, message } };
}

export function errorResponse(err: unknown): Response {
  if (err instanceof ValidationError) {
    return Response.json(body(err.code, err.message, err.field), { status: 400 });
  }
  if (err instanceof NotFoundError) {
    return Response.json(body(err.code, err.message), { status: 404 });
  }
  const code = err instanceof BarstreamError ? err.code : 'internal';
  webLogger().error({ err, code }, 'request failed');
  return Response.json(body('internal', 'internal server error'), { status: 500 });
}

/** Runs a handler's work and answers with its JSON, or with the mapped error. */
export async function jsonResponse(work: () => Promise<unknown>): Promise<Response> {
  try {
    return Response.json(await work(), { headers: { 'cache-control': 'no-store' } });
  } catch (err) {
    return errorResponse(err);
  }
}

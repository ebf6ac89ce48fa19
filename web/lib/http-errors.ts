// The one mapping from thrown errors to HTTP responses: client mistakes are 4xx with the field
// and reason, an unreachable database is 503, anything unexpected is logged and an opaque 500.
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
  if (isDatabaseUnavailable(err)) {
    webLogger().warn({ err }, 'request failed: database unavailable');
    return Response.json(body('database_unavailable', 'the database is not reachable; try again shortly'), { status: 503 });
  }
  const code = err instanceof BarstreamError ? err.code : 'internal';
  webLogger().error({ err, code }, 'request failed');
  return Response.json(body('internal', 'internal server error'), { status: 500 });
}

/** Prisma's codes for "cannot reach / lost / timed out waiting for" the database server. */
const UNAVAILABLE_CODES = new Set(['P1001', 'P1002', 'P1017', 'P2024']);

function isDatabaseUnavailable(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && UNAVAILABLE_CODES.has(code);
}

/** Runs a handler's work and answers with its JSON, or with the mapped error. */
export async function jsonResponse(work: () => Promise<unknown>): Promise<Response> {
  try {
    return Response.json(await work(), { headers: { 'cache-control': 'no-store' } });
  } catch (err) {
    return errorResponse(err);
  }
}

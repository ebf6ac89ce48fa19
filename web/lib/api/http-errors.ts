// The one mapping from thrown errors to HTTP responses: client mistakes are 4xx with the field
// and reason, an unreachable database is 503, anything unexpected is logged and an opaque 500.
import 'server-only';
import { BarstreamError, ConflictError, NotFoundError, ValidationError } from '@barstream/core';
import { webLogger } from '../server/logger.ts';
import type { ApiError } from './response-schemas.ts';

function body(code: string, message: string, extra: { field?: string; available?: readonly string[] } = {}): ApiError {
  return {
    error: {
      code,
      message,
      ...(extra.field === undefined ? {} : { field: extra.field }),
      ...(extra.available === undefined ? {} : { available: [...extra.available] }),
    },
  };
}

const NO_STORE = { 'cache-control': 'no-store' };

export function errorResponse(err: unknown): Response {
  if (err instanceof ValidationError) {
    return Response.json(body(err.code, err.message, { field: err.field }), { status: 400, headers: NO_STORE });
  }
  if (err instanceof NotFoundError) {
    return Response.json(body(err.code, err.message, { available: err.available }), { status: 404, headers: NO_STORE });
  }
  if (err instanceof ConflictError) {
    return Response.json(body(err.code, err.message), { status: 409, headers: NO_STORE });
  }
  if (isDatabaseUnavailable(err)) {
    webLogger().warn({ err }, 'request failed: database unavailable');
    return Response.json(body('database_unavailable', 'the database is not reachable; try again shortly'), {
      status: 503,
      headers: NO_STORE,
    });
  }
  const code = err instanceof BarstreamError ? err.code : 'internal';
  webLogger().error({ err, code }, 'request failed');
  return Response.json(body('internal', 'internal server error'), { status: 500, headers: NO_STORE });
}

/** Prisma's codes for "cannot reach / lost / timed out waiting for" the database server. */
const UNAVAILABLE_CODES = new Set(['P1001', 'P1002', 'P1017', 'P2024']);
/** The driver adapter's kinds of the same (raw queries report them as P2010 with the adapter error in meta). */
const UNAVAILABLE_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'TlsConnectionError',
]);

/** The same as node-postgres reports them, should one surface through the adapter: socket errors,
 * SQLSTATE class 08 (connection exception), 57P0x (server shutting down / restarting). */
const PG_UNAVAILABLE = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|08...|57P0[1-3])$/;
const PG_CONNECTION_MESSAGE = /^(Connection terminated|timeout exceeded when trying to connect)/;

function isDatabaseUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, meta } = err as { code?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } };
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || PG_UNAVAILABLE.test(code))) return true;
  if (err instanceof Error && PG_CONNECTION_MESSAGE.test(err.message)) return true;
  const kind = meta?.driverAdapterError?.cause?.kind;
  return typeof kind === 'string' && UNAVAILABLE_KINDS.has(kind);
}

/** An answer: a value to encode, JSON text already written, or JSON text streamed as it is written. */
export type JsonAnswer =
  { readonly body: unknown; readonly status?: number } | { readonly text: string | ReadableStream<Uint8Array>; readonly status?: number };

/** Runs a handler's work and answers with its JSON (and status), or with the mapped error.
 * Compression happens in front of Next.js (web/lib/server/api-gzip.ts): Next.js drops a route's
 * own Content-Encoding header (send-response.js), so a route cannot send a body it encoded itself. */
export async function jsonResponse(work: () => Promise<JsonAnswer>): Promise<Response> {
  try {
    const answer = await work();
    const status = answer.status ?? 200;
    if ('text' in answer) return new Response(answer.text, { status, headers: { ...NO_STORE, 'content-type': 'application/json' } });
    return Response.json(answer.body, { status, headers: NO_STORE });
  } catch (err) {
    return errorResponse(err);
  }
}

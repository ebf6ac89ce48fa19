// One write route's contract (POST, PUT, PATCH, DELETE): its path, documentation, body and response
// schemas; write-routes.ts lists them (and spreads the alert routes' entries in).
import type { z } from 'zod';

export interface ApiWriteRoute<B extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  readonly method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** OpenAPI form, path parameters in braces: /api/trend-labels/{id}. */
  readonly path: string;
  readonly summary: string;
  readonly description: string;
  /** The request body: JSON checked by this schema, or CSV text (checked by the handler). */
  readonly body: { readonly json: B } | { readonly csv: string } | null;
  readonly response: R;
  readonly status: number;
  readonly notFound?: string;
  /** What a 409 means for this route (absent: never 409). */
  readonly conflict?: string;
}

/** Keeps a route's body and response types when it is written as an object literal. */
export function writeRoute<B extends z.ZodType, R extends z.ZodType>(r: ApiWriteRoute<B, R>): ApiWriteRoute<B, R> {
  return r;
}

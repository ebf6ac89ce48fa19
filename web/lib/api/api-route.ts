// One API route's contract: its path, documentation, zod query and response schemas; routes.ts lists them.
import type { z } from 'zod';

export interface ApiRoute<Q extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  readonly path: string;
  readonly summary: string;
  readonly description: string;
  readonly query: Q;
  readonly response: R;
  /** What a 404 means for this route (absent: the route never answers 404). Besides it: 400 for
   * bad or unknown parameters, 405 for methods other than GET/HEAD/OPTIONS, 503 for no database. */
  readonly notFound?: string;
  /** The 503 answer is the response shape itself (health's ok: false), not an ApiError. */
  readonly unavailableAnswersBody?: boolean;
  /** The 200 answer's media type (default application/json). */
  readonly contentType?: string;
}

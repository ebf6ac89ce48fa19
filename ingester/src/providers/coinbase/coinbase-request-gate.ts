// When the next Coinbase REST request may go: public endpoints allow 10 requests per second per IP, and a 429
// holds every request until its Retry-After (or a backoff) has passed.
import { RequestGate, type RequestGateOptions } from '../request-gate.ts';

export { retryAfterMs } from '../request-gate.ts';

/** Public REST endpoints: 10 requests per second per IP; we space requests to stay under it. */
export const DEFAULT_MIN_SPACING_MS = 100;

export class CoinbaseRequestGate extends RequestGate {
  constructor(options: RequestGateOptions = {}) {
    super({ ...options, minSpacingMs: options.minSpacingMs ?? DEFAULT_MIN_SPACING_MS });
  }
}

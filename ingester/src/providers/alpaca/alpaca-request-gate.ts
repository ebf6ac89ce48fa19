// When the next Alpaca REST request may go: after a 429's wait, or once an exhausted rate window resets.
import type { Logger } from '@barstream/core/node';
import { RequestGate, type RequestGateOptions } from '../request-gate.ts';

export { retryAfterMs } from '../request-gate.ts';

/** Our clock and Alpaca's may disagree a little about when the window resets. */
const RESET_MARGIN_MS = 250;

export interface AlpacaRequestGateOptions extends Omit<RequestGateOptions, 'minSpacingMs'> {
  readonly logger: Logger;
}

export class AlpacaRequestGate extends RequestGate {
  constructor(private readonly options: AlpacaRequestGateOptions) {
    super(options);
  }

  /** X-RateLimit-Remaining 0: holds requests until X-RateLimit-Reset (epoch seconds). */
  noteRateLimit(remaining: string | null, reset: string | null): void {
    if (remaining === null || Number(remaining) > 0) return;
    const waitMs = resetWaitMs(reset, this.now());
    if (waitMs === undefined) return;
    this.options.logger.warn({ waitMs }, 'alpaca: request budget used up, pausing until the rate window resets');
    this.pauseFor(waitMs);
  }
}

/** Milliseconds until X-RateLimit-Reset (epoch seconds) plus a margin; undefined when absent or unreadable. */
export function resetWaitMs(reset: string | null, now: number): number | undefined {
  if (reset === null || reset.trim() === '') return undefined;
  const seconds = Number(reset);
  if (!Number.isFinite(seconds) || seconds <= 0) return undefined;
  return Math.max(0, seconds * 1000 - now) + RESET_MARGIN_MS;
}

// When the next Binance REST request may go: after a Retry-After pause, or after the weight minute rolls over.
import { MINUTE_MS } from '@barstream/core';
import type { Logger } from '@barstream/core/node';
import { RequestGate, type RequestGateOptions as GateOptions } from '../request-gate.ts';

export { retryAfterMs } from '../request-gate.ts';

/** REQUEST_WEIGHT limit per IP per minute on /api/*; we slow down well before it. */
export const DEFAULT_WEIGHT_SLOWDOWN_AT = 5_000;
/** Our clock and Binance's may disagree a little about when the minute (and its weight count) resets. */
const MINUTE_ROLLOVER_MARGIN_MS = 250;

export interface RequestGateOptions extends Omit<GateOptions, 'minSpacingMs'> {
  readonly logger: Logger;
  /** Used weight (X-MBX-USED-WEIGHT-1M) above which requests wait for the next minute. */
  readonly weightSlowdownAt?: number;
}

export class BinanceRequestGate extends RequestGate {
  private readonly slowdownAt: number;

  constructor(private readonly options: RequestGateOptions) {
    super(options);
    this.slowdownAt = options.weightSlowdownAt ?? DEFAULT_WEIGHT_SLOWDOWN_AT;
  }

  /** Reads X-MBX-USED-WEIGHT-1M; near the limit, holds requests until Binance's minute window resets. */
  noteUsedWeight(header: string | null): void {
    if (header === null) return;
    const used = Number(header);
    if (!Number.isFinite(used) || used <= this.slowdownAt) return;
    const now = this.now();
    const waitMs = MINUTE_MS - (now % MINUTE_MS) + MINUTE_ROLLOVER_MARGIN_MS;
    this.options.logger.warn(
      { usedWeight: used, slowdownAt: this.slowdownAt, waitMs },
      'binance: request weight near the per-minute limit, pausing until the next minute',
    );
    this.pauseUntil(now + waitMs);
  }
}

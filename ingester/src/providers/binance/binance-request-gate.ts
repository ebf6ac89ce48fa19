// When the next Binance REST request may go: after a Retry-After pause, or after the weight minute rolls over.
import { MINUTE_MS, sleep } from '@barstream/core';
import type { Logger } from '@barstream/core/node';

/** REQUEST_WEIGHT limit per IP per minute on /api/*; we slow down well before it. */
export const DEFAULT_WEIGHT_SLOWDOWN_AT = 5_000;
/** Our clock and Binance's may disagree a little about when the minute (and its weight count) resets. */
const MINUTE_ROLLOVER_MARGIN_MS = 250;

export interface RequestGateOptions {
  readonly logger: Logger;
  /** Used weight (X-MBX-USED-WEIGHT-1M) above which requests wait for the next minute. */
  readonly weightSlowdownAt?: number;
  readonly now?: () => number;
  /** How the gate waits (core's sleep); tests inject one to see the waits asked for. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export class BinanceRequestGate {
  private resumeAt = 0;
  private readonly now: () => number;
  private readonly slowdownAt: number;

  constructor(private readonly options: RequestGateOptions) {
    this.now = options.now ?? Date.now;
    this.slowdownAt = options.weightSlowdownAt ?? DEFAULT_WEIGHT_SLOWDOWN_AT;
  }

  /** Resolves when a request may be sent (at once unless paused); throws if `signal` aborts. */
  async wait(signal?: AbortSignal): Promise<void> {
    const delay = this.resumeAt - this.now();
    if (delay > 0) await (this.options.sleep ?? sleep)(delay, signal);
    signal?.throwIfAborted();
  }

  /** Holds every request for `ms` (Retry-After of a 429/418 applies to the whole IP, not one call). */
  pauseFor(ms: number): void {
    this.resumeAt = Math.max(this.resumeAt, this.now() + ms);
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
    this.resumeAt = Math.max(this.resumeAt, now + waitMs);
  }
}

/** Retry-After in seconds (Binance's form) → ms; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

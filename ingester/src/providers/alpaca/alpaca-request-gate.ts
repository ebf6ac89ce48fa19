// When the next Alpaca REST request may go: after a 429's wait, or once an exhausted rate window resets.
import { sleep } from '@barstream/core';
import type { Logger } from '@barstream/core/node';

/** Our clock and Alpaca's may disagree a little about when the window resets. */
const RESET_MARGIN_MS = 250;

export interface AlpacaRequestGateOptions {
  readonly logger: Logger;
  readonly now?: () => number;
  /** How the gate waits (core's sleep); tests inject one to see the waits asked for. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export class AlpacaRequestGate {
  private resumeAt = 0;
  private readonly now: () => number;

  constructor(private readonly options: AlpacaRequestGateOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Resolves when a request may be sent (at once unless paused); throws if `signal` aborts. */
  async wait(signal?: AbortSignal): Promise<void> {
    const delay = this.resumeAt - this.now();
    if (delay > 0) await (this.options.sleep ?? sleep)(delay, signal);
    signal?.throwIfAborted();
  }

  /** Holds every request for `ms`: the limit is per account, not per call. */
  pauseFor(ms: number): void {
    this.resumeAt = Math.max(this.resumeAt, this.now() + ms);
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

/** Retry-After in seconds → ms; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

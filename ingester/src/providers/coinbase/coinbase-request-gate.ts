// When the next Coinbase REST request may go: public endpoints allow 10 requests per second per IP, and a 429
// holds every request until its Retry-After (or a backoff) has passed.
import { sleep } from '@barstream/core';

/** Public REST endpoints: 10 requests per second per IP; we space requests to stay under it. */
export const DEFAULT_MIN_SPACING_MS = 100;

export interface RequestGateOptions {
  readonly minSpacingMs?: number;
  readonly now?: () => number;
  /** How the gate waits (core's sleep); tests inject one to see the waits asked for. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export class CoinbaseRequestGate {
  /** The earliest time the next request may be sent. */
  private nextAt = 0;
  private readonly now: () => number;
  private readonly spacingMs: number;

  constructor(private readonly options: RequestGateOptions = {}) {
    this.now = options.now ?? Date.now;
    this.spacingMs = options.minSpacingMs ?? DEFAULT_MIN_SPACING_MS;
  }

  /** Resolves when a request may be sent and books its slot; throws if `signal` aborts. */
  async wait(signal?: AbortSignal): Promise<void> {
    const now = this.now();
    const at = Math.max(now, this.nextAt);
    this.nextAt = at + this.spacingMs;
    if (at > now) await (this.options.sleep ?? sleep)(at - now, signal);
    signal?.throwIfAborted();
  }

  /** Holds every request for `ms` (a 429 applies to the whole IP, not one call). */
  pauseFor(ms: number): void {
    this.nextAt = Math.max(this.nextAt, this.now() + ms);
  }
}

/** Retry-After in seconds → ms; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

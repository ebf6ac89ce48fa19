// When the next REST request to a venue may go: requests spaced (when the venue limits a rate), and every
// request held after a 429 or a used-up budget, since those limits apply to the whole IP or account.
import { sleep } from '@barstream/core';

export interface RequestGateOptions {
  /** Least time between two requests (0: none). */
  readonly minSpacingMs?: number;
  readonly now?: () => number;
  /** How the gate waits (core's sleep); tests inject one to see the waits asked for. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export class RequestGate {
  /** The earliest time the next request may be sent. */
  private nextAt = 0;
  protected readonly now: () => number;
  private readonly spacingMs: number;

  constructor(private readonly gate: RequestGateOptions = {}) {
    this.now = gate.now ?? Date.now;
    this.spacingMs = gate.minSpacingMs ?? 0;
  }

  /** Resolves when a request may be sent and books its slot; throws if `signal` aborts. */
  async wait(signal?: AbortSignal): Promise<void> {
    const now = this.now();
    const at = Math.max(now, this.nextAt);
    this.nextAt = at + this.spacingMs;
    if (at > now) await (this.gate.sleep ?? sleep)(at - now, signal);
    signal?.throwIfAborted();
  }

  /** Holds every request for `ms`. */
  pauseFor(ms: number): void {
    this.pauseUntil(this.now() + ms);
  }

  /** Holds every request until `at` (ms, the gate's clock). */
  protected pauseUntil(at: number): void {
    this.nextAt = Math.max(this.nextAt, at);
  }
}

/** Retry-After in seconds → ms; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

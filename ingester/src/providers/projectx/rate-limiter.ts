// Sliding-window rate limiter: at most `maxCalls` acquisitions in any `windowMs`, waiters served in order.
import { sleep } from '@barstream/core';
import { throwIfAborted } from './projectx-errors.ts';

export interface RateLimit {
  readonly maxCalls: number;
  readonly windowMs: number;
}

export class SlidingWindowRateLimiter {
  /** Start times of the calls still inside the window, oldest first. */
  private readonly starts: number[] = [];
  /** Serialises waiters so a late caller cannot overtake one already sleeping for a slot. */
  private queue: Promise<void> = Promise.resolve();

  /** @param now the limiter's clock: windows are measured on it alone.
   * @param onGrant called with the clock's time of each call let through (tests assert windows on it). */
  constructor(
    readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
    private readonly onGrant?: (at: number) => void,
  ) {
    if (!(limit.maxCalls >= 1) || !(limit.windowMs > 0)) throw new RangeError('rate limit needs maxCalls >= 1 and windowMs > 0');
  }

  /** Resolves when a call may start now (and counts it); throws if `signal` aborts while waiting. */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.waitForSlot(signal));
    // The next waiter queues behind this one whether it got its slot or was aborted.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Calls counted in the current window (for metrics and tests). */
  inWindow(): number {
    this.evict(this.now());
    return this.starts.length;
  }

  private async waitForSlot(signal?: AbortSignal): Promise<void> {
    for (;;) {
      throwIfAborted(signal, 'rate limiter wait');
      const now = this.now();
      this.evict(now);
      if (this.starts.length < this.limit.maxCalls) {
        this.starts.push(now);
        this.onGrant?.(now);
        return;
      }
      const oldest = this.starts[0] as number;
      await sleep(oldest + this.limit.windowMs - now, signal);
    }
  }

  private evict(now: number): void {
    while (this.starts.length > 0 && (this.starts[0] as number) <= now - this.limit.windowMs) this.starts.shift();
  }
}

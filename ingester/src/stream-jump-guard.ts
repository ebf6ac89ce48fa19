// Holds a trade that jumps far ahead of the stream clock until the stream confirms the jump, so one
// bad timestamp cannot drag the clock forward (closing every bar and making the real trades late),
// while a real jump (a replay crossing a weekend, a feed stamped far from this machine's clock) is
// followed and nothing is dropped.
import type { Trade } from '@barstream/core';
import type { MarketClock } from './market-clock.ts';

export class StreamJumpGuard {
  private held: Trade | undefined;

  /** @param maxJumpMs how far ahead of the stream clock (before the first trade: either side of the
   * wall clock) a trade may be without confirmation. */
  constructor(
    private readonly clock: MarketClock,
    private readonly maxJumpMs: number,
  ) {}

  /** Passes `trade` (and a held one) on in order: `accept` for trades to aggregate, `reject` for a
   * held trade that the next trade contradicted (it came back near the old clock). */
  admit(trade: Trade, accept: (t: Trade) => void, reject: (t: Trade) => void): void {
    const held = this.held;
    if (held) {
      this.held = undefined;
      // The next trade jumps too: the stream moved. It does not: the held trade was a stray.
      if (this.jumps(trade.time)) accept(held);
      else reject(held);
    }
    if (this.jumps(trade.time)) this.held = trade;
    else accept(trade);
  }

  /** A held trade the clock has caught up with (or any, with `force`: the stream ended). */
  release(accept: (t: Trade) => void, force = false): void {
    const held = this.held;
    if (!held || (!force && this.jumps(held.time))) return;
    this.held = undefined;
    accept(held);
  }

  get holding(): boolean {
    return this.held !== undefined;
  }

  private jumps(time: number): boolean {
    const now = this.clock.now();
    return this.clock.started ? time - now > this.maxJumpMs : Math.abs(time - now) > this.maxJumpMs;
  }
}

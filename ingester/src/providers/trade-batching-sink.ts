// A feed's sink that hands on the trades of one event-loop turn's socket reads as one batch. A feed that is
// behind has many frames queued in its socket: libuv reads a socket up to 32 times (64 KB each) in one turn's
// poll phase and ws emits each read's frames one after another. The pipeline's work per onTrades call (clock,
// counters, flush scheduling) and what a small hand-on costs its flushes are then paid once per turn, or per
// MAX_HELD_TRADES, instead of once per frame or read. Consecutive onTrades calls are merged until the turn's
// poll phase is over (setImmediate runs right after it: a live feed's trades wait no longer than the rest of
// that phase), or until MAX_HELD_TRADES are held; any other call flushes first, so the sink sees the same
// trades, in the same order, between the same other calls.
import type { Trade } from '@barstream/core';
import type { Quote } from './provider.ts';
import type { TradeStreamSink } from './reconnecting-feed.ts';

/** Trades held at most before they are handed on at once: about what one 64 KB pipe read of bench:ingest's
 * simulated 40-byte frames hands the pipeline (1,638), so a flood's hand-ons are no larger than those. */
export const MAX_HELD_TRADES = 2_048;

export class TradeBatchingSink implements TradeStreamSink {
  private pending: Trade[] = [];
  private scheduled = false;

  /** `onError`: the sink threw while a batch was handed on from the deferred hand-on or a full one (the frame's
   * reader above it is not the place to catch what the pipeline threw). */
  constructor(
    private readonly sink: TradeStreamSink,
    private readonly onError: (error: unknown) => void,
  ) {}

  onTrades(trades: readonly Trade[]): void {
    if (trades.length === 0) return;
    if (this.pending.length === 0 && !this.scheduled) {
      this.scheduled = true;
      setImmediate(this.handOnGuarded);
    }
    for (const t of trades) this.pending.push(t);
    if (this.pending.length >= MAX_HELD_TRADES) this.handOnGuarded();
  }

  onQuote(quote: Quote): void {
    this.flush();
    this.sink.onQuote(quote);
  }

  onRejected(reason: string, detail?: unknown): void {
    this.flush();
    this.sink.onRejected(reason, detail);
  }

  onConnectionChange(connected: boolean): void {
    this.flush();
    this.sink.onConnectionChange(connected);
  }

  /** Hands on the trades held back, now. */
  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const trades = this.pending;
    this.pending = [];
    this.sink.onTrades(trades);
  }

  private readonly handOnGuarded = (): void => {
    if (!this.scheduled) return;
    try {
      this.flush();
    } catch (error) {
      this.onError(error);
    }
  };
}

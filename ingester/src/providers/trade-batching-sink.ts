// A feed's sink that hands on the trades of one socket read as one batch. A feed that is behind has many
// frames queued in its socket, and ws emits them one after another in the same turn: the pipeline's work
// per onTrades call (clock, counters, flush scheduling) is then paid once per read instead of once per
// frame. Consecutive onTrades calls are merged until the turn's microtasks run; any other call flushes
// first, so the sink sees the same trades, in the same order, between the same other calls.
import type { Trade } from '@barstream/core';
import type { Quote } from './provider.ts';
import type { TradeStreamSink } from './reconnecting-feed.ts';

export class TradeBatchingSink implements TradeStreamSink {
  private pending: Trade[] = [];
  private scheduled = false;

  /** `onError`: the sink threw while a batch was handed on from a microtask (nothing above to catch it). */
  constructor(
    private readonly sink: TradeStreamSink,
    private readonly onError: (error: unknown) => void,
  ) {}

  onTrades(trades: readonly Trade[]): void {
    if (trades.length === 0) return;
    if (this.pending.length === 0 && !this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => this.flushGuarded());
    }
    for (const t of trades) this.pending.push(t);
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

  private flushGuarded(): void {
    if (!this.scheduled) return;
    try {
      this.flush();
    } catch (error) {
      this.onError(error);
    }
  }
}

// Refetches the bars of a span the chart may have missed (after a reconnect, a resync, or a bar
// message older than the chart's last candle and not on it) and merges them (house rule 6).
// Overlapping requests coalesce: one fetch from the earliest time asked, then one more if asked again.
import { MAX_LIMIT } from '../api/query-fields.ts';
import type { Candle } from './candle-merge.ts';
import { fetchBars } from './chart-api.ts';
import { asTime } from './wire-candle.ts';

/** Wait before asking again for a span whose fetch failed. */
const RETRY_MS = 1_000;

export interface GapFillHost {
  readonly contractId: string;
  readonly timeframe: string;
  readonly signal: AbortSignal;
  isStopped(): boolean;
  /** A whole load is under way: it (and the one it queues) covers the span. */
  isLoading(): boolean;
  /** Starts over with a whole load (or queues one behind the load under way). */
  reload(): void;
  /** `lastClosed`: the newest fetched bar is closed. */
  merge(fetched: readonly Candle[], coverFrom: number, lastClosed: boolean): void;
}

export class GapFills {
  /** Spans fetched and merged. */
  count = 0;
  private running = false;
  private from: number | undefined;

  constructor(private readonly host: GapFillHost) {}

  /** Refetches bars from `fromMs` on and merges them. */
  fill(fromMs: number): void {
    this.from = Math.min(this.from ?? fromMs, fromMs);
    if (!this.running) void this.run();
  }

  private async run(): Promise<void> {
    const host = this.host;
    this.running = true;
    try {
      while (this.from !== undefined && !host.isStopped()) {
        const from = this.from;
        this.from = undefined;
        if (host.isLoading()) {
          host.reload();
          continue;
        }
        try {
          const bars = await fetchBars(host.contractId, host.timeframe, { from, limit: MAX_LIMIT }, { signal: host.signal });
          if (host.isStopped()) return;
          if (bars.candles.length >= MAX_LIMIT) {
            host.reload(); // more missed than one answer holds: start over
            continue;
          }
          this.count++;
          host.merge(bars.candles, asTime(from), bars.lastClosed);
        } catch {
          if (host.isStopped()) return;
          // Try again shortly; a later reconnect would ask for the same span anyway.
          await new Promise((r) => setTimeout(r, RETRY_MS));
          this.from = Math.min(this.from ?? from, from);
        }
      }
    } finally {
      this.running = false;
    }
  }
}

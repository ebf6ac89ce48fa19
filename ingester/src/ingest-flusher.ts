// Writes what the ingest pipeline buffered (ticks, bars changed since the last flush, the latest quote
// per contract) a flush at a time: ticks a few ms after they arrive, forming bars when asked (every
// flush_interval_ms); two flushes overlap at most and commit in order (flush-sequence.ts, bar-store.ts).
import type { BarAggregator, ContractBar, Trade } from '@barstream/core';
import type { Logger, Pool, RateLimitedLog } from '@barstream/core/node';
import { FlushOrderError, writeFlush } from './bar-store.ts';
import { type IngestFence, isFenceLost } from './fence-check.ts';
import { FlushSequence } from './flush-sequence.ts';
import type { IngestMetrics } from './ingest-metrics.ts';
import type { MarketClock } from './market-clock.ts';
import { PendingBars } from './pending-bars.ts';
import type { Quote } from './providers/provider.ts';
import type { TickBatch } from './tick-batch.ts';
import { TickBuffer } from './tick-buffer.ts';

const MAX_TICKS_PER_FLUSH = 25_000;
/** Bars upserted (and announced on ohlc_update) per flush, at most: a forming flush at 100 contracts has
 * 600 (6 timeframes each), ~16 ms of Node and PostgreSQL CPU in one transaction that every tick arriving
 * meanwhile waits for; in slices of 100 (~3 ms) the ticks ride along with each slice. The rest go in the
 * next flushes, at once, series by series in the order they changed, each series' bars in time order
 * (pending-bars.ts). */
const MAX_BARS_PER_FLUSH = 100;
/** Ticks waiting for the database, at most (about 40 MB): beyond it the oldest are dropped and counted. */
const DEFAULT_MAX_BUFFERED_TICKS = 250_000;

export interface IngestFlusherOptions {
  readonly pool: Pool;
  readonly aggregator: BarAggregator;
  readonly clock: MarketClock;
  readonly logger: Logger;
  readonly metrics: IngestMetrics;
  readonly rateLimited: RateLimitedLog;
  /** Ticks kept while the database is slow or unreachable; bars are always kept. */
  readonly maxBufferedTicks?: number;
  /** Delay between a tick arriving and its write (batches under load). Default 2 ms. */
  readonly tickFlushMs?: number;
  /** Runs first in every flush (the pipeline reports its counters and lets held trades in). */
  readonly beforeFlush: () => void;
  /** Lease fencing: each flush checks the leases of what it writes (fence-check.ts). */
  readonly fence?: IngestFence;
}

export class IngestFlusher {
  private readonly ticks = new TickBuffer();
  private readonly pendingBars = new PendingBars();
  /** Flushes under way, in order (two at most). */
  private readonly flushes = new FlushSequence((bars, ticks) => this.requeue(bars, ticks));
  private quotes = new Map<string, Quote>();
  private formingDue = false;
  private stopped = false;
  private soon: NodeJS.Timeout | undefined;
  private lastFlushOk = true;
  /** performance.now() when the oldest trade not yet committed arrived (for ingester_trade_to_notify_seconds). */
  private oldestPendingAt: number | undefined;

  constructor(private readonly options: IngestFlusherOptions) {}

  /** A trade aggregated: its tick waits for the next flush. */
  addTick(trade: Trade): void {
    this.ticks.append(trade);
  }

  /** After a provider batch: bounds the buffer and schedules the write of what arrived. */
  afterTicks(arrived: boolean): void {
    if (arrived) this.oldestPendingAt ??= performance.now();
    this.boundTicks();
    if (this.ticks.length > 0) this.scheduleFlush();
  }

  /** The latest quote per contract is relayed with the next flush. */
  addQuote(quote: Quote): void {
    this.quotes.set(quote.contractId, quote);
    this.scheduleFlush();
  }

  /** Forming bars go with the next flush, which starts now. */
  flushFormingSoon(): void {
    this.formingDue = true;
    this.scheduleFlush(0);
  }

  /** Starts a flush of what is buffered, or hands back the newest one under way when a second may
   * not start yet. Two overlap at most: the newer one takes its batch and COPYs its ticks once the
   * older one's ticks are COPYed, then waits for that one's COMMIT (writeFlush's `order`): Node's
   * encoding and PostgreSQL's COPY of one flush run beside the other's NOTIFYs and COMMIT, and
   * flushes still commit one after the other, in order. A failed write keeps its bars and ticks for
   * the next attempt (with the flush after it, rolled back so that both are retried in order).
   * `forming`: forming bars go too. */
  flush(forming = false): Promise<void> {
    if (forming) this.formingDue = true;
    return this.flushes.start((seq, after) => this.flushOnce(seq, after));
  }

  /** No flush is scheduled from now on (flush() still writes). */
  halt(): void {
    this.stopped = true;
    if (this.soon) clearTimeout(this.soon);
  }

  /** The newest flush under way (it settles after every earlier one), if any. */
  get current(): Promise<void> | undefined {
    return this.flushes.current;
  }

  /** Writes everything buffered, forming bars too; what a burst left over goes out as well, unless
   * the database is failing. */
  async flushAll(): Promise<void> {
    await this.flush(true);
    while ((this.ticks.length > 0 || this.pendingBars.size > 0) && this.lastFlushOk) await this.flush();
  }

  /** Writes every bar changed so far, forming ones too, over as many flushes as their slices take (a
   * hand-over must leave none of a contract's bars behind). */
  async flushBars(): Promise<void> {
    await this.flush(true);
    while (this.pendingBars.size > 0 && this.lastFlushOk) await this.flush();
  }

  get bufferedTicks(): number {
    return this.ticks.length;
  }

  /** Bars waiting for the next flush (a queue depth beside bufferedTicks). */
  get pendingBarCount(): number {
    return this.pendingBars.size;
  }

  get databaseOk(): boolean {
    return this.lastFlushOk;
  }

  /** Memory is bounded whatever the rate: when the database falls behind, the oldest ticks go (bars stay exact). */
  private boundTicks(): void {
    const cap = this.options.maxBufferedTicks ?? DEFAULT_MAX_BUFFERED_TICKS;
    if (this.ticks.length <= cap) return;
    const excess = this.ticks.length - cap;
    this.options.metrics.ticksDropped.inc(excess);
    this.ticks.dropOldest(excess);
    this.options.rateLimited.warn(
      'tick-buffer',
      { dropped: excess, cap },
      'tick buffer full (database behind); oldest ticks dropped, bars unaffected',
    );
  }

  private scheduleFlush(delayMs = this.options.tickFlushMs ?? 2): void {
    if (this.soon || this.stopped) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      // Ticks still buffered waited through the flush (or the one in flight): no second delay.
      void this.flush().then(() => {
        if (this.ticks.length > 0 || this.pendingBars.size > 0) this.scheduleFlush(0);
      });
    }, delayMs);
  }

  private onWriting(seq: number): void {
    // Trades that arrived meanwhile may go now, beside the COMMIT.
    if (this.flushes.writing(seq) && (this.ticks.length > 0 || this.pendingBars.size > 0)) this.scheduleFlush(0);
  }

  /** True when the batch committed (or there was none and the flush before committed). */
  private async flushOnce(seq: number, after: Promise<boolean> | undefined): Promise<boolean> {
    const { aggregator, clock, metrics, pool } = this.options;
    this.options.beforeFlush();
    aggregator.advance(clock.now());
    const includeForming = this.formingDue;
    this.formingDue = false;
    for (const bar of aggregator.drain(includeForming)) this.pendingBars.set(bar);
    const quotes = [...this.quotes.values()];
    if (this.pendingBars.size === 0 && this.ticks.length === 0 && quotes.length === 0) return after ? after : true;
    // Bounded transactions keep memory flat and latency even under a burst.
    const bars = this.pendingBars.take(MAX_BARS_PER_FLUSH);
    const { bars: written, ticks } = this.leaveOutLost(bars, this.ticks.take(MAX_TICKS_PER_FLUSH));
    this.quotes = new Map();
    const oldestAt = this.oldestPendingAt;
    // Ticks left for the next flush arrived no earlier than this flush's oldest: measured from it.
    this.oldestPendingAt = this.ticks.length > 0 ? oldestAt : undefined;
    const stopTimer = metrics.flushSeconds.startTimer();
    try {
      const fence = this.options.fence?.claim(written, ticks);
      const result = await writeFlush(pool, written, ticks, quotes, { after, onWriting: () => this.onWriting(seq), fence });
      stopTimer();
      if (oldestAt !== undefined) metrics.tradeToNotify.observe((performance.now() - oldestAt) / 1000);
      metrics.barsWritten.inc(result.bars);
      metrics.ticksWritten.inc(result.ticks);
      metrics.notifies.inc(result.notifies);
      if (!this.lastFlushOk) this.options.logger.info('database writes recovered');
      this.lastFlushOk = true;
      return true;
    } catch (err) {
      // A refusal by the lease fence is a takeover, counted apart (fenceRefused below), not a database fault.
      if (!isFenceLost(err)) metrics.flushFailures.inc();
      this.lastFlushOk = false;
      // The requeued trades still wait: the next commit measures from the oldest of them.
      if (oldestAt !== undefined) this.oldestPendingAt = Math.min(oldestAt, this.oldestPendingAt ?? oldestAt);
      this.flushes.failedWith(seq, written, ticks);
      // The lease moved: its units count as lost at once (their feed stops), so nothing of them is retried.
      if (isFenceLost(err)) {
        this.options.fence?.refused(err);
        metrics.fenceRefused.inc({ write: 'flush' });
      }
      if (!(err instanceof FlushOrderError)) {
        this.options.rateLimited.warn(
          isFenceLost(err) ? 'fence' : 'flush',
          { err: (err as Error).message, bars: written.length, ticks: ticks.length },
          isFenceLost(err) ? 'flush refused by the lease fence; what is still leased is retried' : 'flush failed; will retry',
        );
      }
      return false;
    }
  }

  /** Once a refused write found a lease lost, what is left of its contracts is the new holder's
   * (which resumes from what is stored): left out of every flush, counted, never sent to be refused. */
  private leaveOutLost(bars: readonly ContractBar[], ticks: TickBatch): { bars: readonly ContractBar[]; ticks: TickBatch } {
    const fence = this.options.fence;
    if (!fence?.anyLost) return { bars, ticks };
    const kept = fence.keepHeld(bars, ticks);
    if (kept.dropped > 0) this.options.metrics.ticksFenced.inc(kept.dropped);
    return kept;
  }

  private requeue(failedBars: readonly ContractBar[], failedTicks: TickBatch): void {
    // A contract whose lease went elsewhere: the new holder resumes it from what is stored.
    const { bars, ticks, dropped } = this.options.fence?.keepHeld(failedBars, failedTicks) ?? {
      bars: failedBars,
      ticks: failedTicks,
      dropped: 0,
    };
    if (dropped > 0) this.options.metrics.ticksFenced.inc(dropped);
    // Newer state of the same bar (from trades since) wins over the failed copy.
    for (const bar of bars) this.pendingBars.restore(bar);
    this.ticks.putBack(ticks);
    const cap = this.options.maxBufferedTicks ?? DEFAULT_MAX_BUFFERED_TICKS;
    if (this.ticks.length > cap) {
      this.options.metrics.ticksDropped.inc(this.ticks.length - cap);
      this.ticks.dropOldest(this.ticks.length - cap);
    }
  }
}

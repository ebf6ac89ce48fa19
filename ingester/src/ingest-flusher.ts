// Writes what the ingest pipeline buffered in two lanes, each on its own pooled connections with its
// own commit order (flush-sequence.ts): ticks (and their NOTIFYs) a few ms after they arrive; bars
// changed since the last bar flush (closed ones when the tick lane finds them, forming ones when asked,
// every flush_interval_ms) and the latest quote per contract. A tick's commit never waits for bar work;
// a bar slice commits only once every tick that arrived before it was taken is stored (tick-serials.ts).
import type { BarAggregator, ContractBar, Trade } from '@barstream/core';
import type { Logger, Pool, RateLimitedLog } from '@barstream/core/node';
import { writeFlush } from './bar-store.ts';
import { TicksNotStoredError } from './ticks-not-stored-error.ts';
import type { IngestFence } from './fence-check.ts';
import { FlushLaneHealth } from './flush-lane-health.ts';
import { FlushSequence } from './flush-sequence.ts';
import { FlushTimer } from './flush-timer.ts';
import type { IngestMetrics } from './ingest-metrics.ts';
import type { MarketClock } from './market-clock.ts';
import { PendingBars } from './pending-bars.ts';
import { type PendingTickBatch, PendingTicks } from './pending-ticks.ts';
import type { Quote } from './providers/provider.ts';
import { EMPTY_TICK_BATCH } from './tick-batch.ts';

/** Ticks per tick flush, at most: a flood goes in COPYs of this many, one transaction each. At 25,000 each
 * COPY's own costs (its start, the hand-over to the next, the COMMIT's WAL flush beside it) showed: 8 interleaved
 * bench:ingest runs gave the warm share of the COPY floor 65–78 / 69–86 / 82–86 % at 1 / 10 / 100 contracts, against
 * 76–82 / 82–86 / 76–85 % at 50,000 (docs/BENCHMARKS.md, ingest10 session). A flush's encoded COPY and payloads
 * are then ~5 MB; live flushes hold a few ticks. */
const MAX_TICKS_PER_FLUSH = 50_000;
/** Bars upserted (and announced on ohlc_update) per bar flush, at most: a forming flush at 100 contracts
 * has 600 (6 timeframes each), ~16 ms of Node and PostgreSQL CPU in one transaction; in slices of 100
 * (~3 ms) no transaction grows with the contract count. The rest go in the next bar flushes, at once,
 * series by series in the order they changed, each series' bars in time order (pending-bars.ts). */
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
  private readonly ticks: PendingTicks;
  private readonly pendingBars = new PendingBars();
  /** Tick flushes under way, in order (two at most). */
  private readonly tickFlushes = new FlushSequence<PendingTickBatch>((batch) => this.requeueTicks(batch));
  /** Bar flushes under way, in order (two at most), beside the tick flushes. */
  private readonly barFlushes = new FlushSequence<readonly ContractBar[]>((bars) => this.requeueBars(bars));
  private quotes = new Map<string, Quote>();
  private formingDue = false;
  /** Ticks still buffered after a flush waited through it (or the one in flight): no second delay. */
  private readonly tickTimer = new FlushTimer(
    () => this.flushTicks(),
    () => (this.ticks.length > 0 ? 0 : undefined),
  );
  private readonly barTimer = new FlushTimer(
    () => this.flushBarLane(),
    () => (this.pendingBars.size > 0 || this.quotes.size > 0 ? 0 : undefined),
  );
  private readonly health: FlushLaneHealth;
  /** Bars of bar flushes waiting for the tick lane to store the ticks before them. */
  private awaitingTicks = 0;
  /** performance.now() when the oldest trade not yet committed arrived (for ingester_trade_to_notify_seconds). */
  private oldestPendingAt: number | undefined;

  constructor(private readonly options: IngestFlusherOptions) {
    this.ticks = new PendingTicks(options.fence);
    this.health = new FlushLaneHealth(options);
  }

  /** A trade aggregated: its tick waits for the next tick flush. */
  addTick(trade: Trade): void {
    this.ticks.append(trade);
  }

  /** After a provider batch: bounds the buffer and schedules the write of what arrived. */
  afterTicks(arrived: boolean): void {
    if (arrived) this.oldestPendingAt ??= performance.now();
    this.boundTicks();
    if (this.ticks.length > 0) this.scheduleTicks();
  }

  /** The latest quote per contract is relayed with the next bar flush. */
  addQuote(quote: Quote): void {
    this.quotes.set(quote.contractId, quote);
    this.scheduleBars();
  }

  /** Forming bars go with the next bar flush, which starts now. */
  flushFormingSoon(): void {
    this.formingDue = true;
    this.scheduleBars(0);
  }

  /** Starts a flush of each lane (or hands back the newest one under way of a lane where a second may
   * not start yet: FlushSequence) and settles when both did. In a lane, two flushes overlap at most:
   * the newer one takes its batch once the older one's rows are on their way in, and commits after it.
   * A failed write keeps its batch for the next attempt (with the flush after it in its lane, rolled
   * back so that both are retried in order). `forming`: forming bars go too. */
  async flush(forming = false): Promise<void> {
    if (forming) this.formingDue = true;
    await Promise.all([this.flushTicks(), this.flushBarLane()]);
  }

  /** No flush is scheduled from now on (flush() still writes). */
  halt(): void {
    this.tickTimer.halt();
    this.barTimer.halt();
  }

  /** Settles once the newest flush of each lane under way now settled; undefined when none is. */
  get current(): Promise<void> | undefined {
    const ticks = this.tickFlushes.current;
    const bars = this.barFlushes.current;
    if (!ticks && !bars) return undefined;
    return Promise.all([ticks, bars]).then(() => undefined);
  }

  /** Writes everything buffered, forming bars too; what a burst left over goes out as well, unless
   * the database is failing. */
  async flushAll(): Promise<void> {
    await this.flush(true);
    while ((this.ticks.length > 0 || this.pendingBars.size > 0) && this.databaseOk) await this.flush();
  }

  /** Writes every bar changed so far, forming ones too, over as many bar flushes as their slices take
   * (a hand-over must leave none of a contract's bars behind), and the ticks they were built from. */
  async flushBars(): Promise<void> {
    await this.flush(true);
    while (this.pendingBars.size > 0 && this.databaseOk) await this.flushBarLane();
  }

  get bufferedTicks(): number {
    return this.ticks.length;
  }

  /** Bars waiting for the next bar flush (a queue depth beside bufferedTicks). */
  get pendingBarCount(): number {
    return this.pendingBars.size;
  }

  /** Bars taken by a bar flush that waits for the tick lane to store the ticks that arrived before them. */
  get barsAwaitingTicks(): number {
    return this.awaitingTicks;
  }

  get databaseOk(): boolean {
    return this.health.ok;
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

  private flushTicks(): Promise<void> {
    return this.tickFlushes.start((seq, after, turn) => this.tickFlushOnce(seq, after, turn));
  }

  private flushBarLane(): Promise<void> {
    return this.barFlushes.start((seq, after) => this.barFlushOnce(seq, after));
  }

  private scheduleTicks(delayMs = this.options.tickFlushMs ?? 2): void {
    this.tickTimer.schedule(delayMs);
  }

  private scheduleBars(delayMs = this.options.tickFlushMs ?? 2): void {
    this.barTimer.schedule(delayMs);
  }

  /** True when the batch committed (or there was none and the flush before committed). */
  private async tickFlushOnce(seq: number, after: Promise<boolean> | undefined, turn: Promise<void> | undefined): Promise<boolean> {
    const { aggregator, clock, metrics, pool } = this.options;
    this.options.beforeFlush();
    // Bars that closed go out at once, in the bar lane; forming ones wait for flushFormingSoon.
    aggregator.advance(clock.now());
    for (const bar of aggregator.drain(false)) this.pendingBars.set(bar);
    if (this.pendingBars.size > 0) this.scheduleBars(0);
    if (this.ticks.length === 0) return after ? after : true;
    // Bounded transactions keep memory flat and latency even under a burst.
    const batch = this.ticks.take(MAX_TICKS_PER_FLUSH);
    if (batch.fenced > 0) metrics.ticksFenced.inc(batch.fenced);
    const { ticks } = batch;
    const oldestAt = this.oldestPendingAt;
    // Ticks left for the next flush arrived no earlier than this flush's oldest: measured from it.
    this.oldestPendingAt = this.ticks.length > 0 ? oldestAt : undefined;
    const stopTimer = metrics.flushSeconds.startTimer();
    try {
      const fence = this.options.fence?.claim([], ticks);
      const result = await writeFlush(pool, [], ticks, [], {
        after,
        turn,
        onWriting: () => this.onTickWriting(seq),
        onRowsIn: () => this.tickFlushes.rowsIn(seq),
        fence,
      });
      this.ticks.settle(batch);
      stopTimer();
      if (oldestAt !== undefined) metrics.tradeToNotify.observe((performance.now() - oldestAt) / 1000);
      metrics.ticksWritten.inc(result.ticks);
      metrics.notifies.inc(result.notifies);
      this.health.succeeded('ticks');
      return true;
    } catch (err) {
      // The requeued trades still wait: the next commit measures from the oldest of them.
      if (oldestAt !== undefined) this.oldestPendingAt = Math.min(oldestAt, this.oldestPendingAt ?? oldestAt);
      this.tickFlushes.failedWith(seq, batch);
      this.health.failed('ticks', err, 0, ticks.length);
      return false;
    }
  }

  /** True when the slice committed (or there was none and the bar flush before committed). */
  private async barFlushOnce(seq: number, after: Promise<boolean> | undefined): Promise<boolean> {
    const { aggregator, clock, metrics, pool } = this.options;
    this.options.beforeFlush();
    aggregator.advance(clock.now());
    const includeForming = this.formingDue;
    this.formingDue = false;
    for (const bar of aggregator.drain(includeForming)) this.pendingBars.set(bar);
    const quotes = [...this.quotes.values()];
    if (this.pendingBars.size === 0 && quotes.length === 0) return after ? after : true;
    const bars = this.leaveOutLostBars(this.pendingBars.take(MAX_BARS_PER_FLUSH));
    this.quotes = new Map();
    // Every tick that arrived so far went into these bars (or older ones): stored first.
    const builtFrom = this.ticks.arrived;
    this.awaitingTicks += bars.length;
    let awaiting = true;
    try {
      const stored = await this.ticksStoredBefore(builtFrom);
      this.awaitingTicks -= bars.length;
      awaiting = false;
      if (!stored) throw new TicksNotStoredError();
      // ingester_flush_duration_seconds times the transaction, not the wait for the tick lane before it.
      const stopTimer = metrics.flushSeconds.startTimer();
      const fence = this.options.fence?.claim(bars, EMPTY_TICK_BATCH);
      const result = await writeFlush(pool, bars, EMPTY_TICK_BATCH, quotes, { after, onWriting: () => this.onBarWriting(seq), fence });
      stopTimer();
      metrics.barsWritten.inc(result.bars);
      metrics.notifies.inc(result.notifies);
      this.health.succeeded('bars');
      return true;
    } catch (err) {
      if (awaiting) this.awaitingTicks -= bars.length;
      this.barFlushes.failedWith(seq, bars);
      this.health.failed('bars', err, bars.length, 0);
      return false;
    }
  }

  /** Waits until every tick with a serial below `serial` is stored (or dropped for good), driving the
   * tick lane itself (it may be halted); false when a tick flush failed meanwhile. While some of those
   * ticks are buffered it flushes; once all are in flushes under way it waits for those and starts none:
   * an empty flush would hold one of the lane's two places until the flush before it commits, and the
   * next batch could not start beside it. */
  private async ticksStoredBefore(serial: number): Promise<boolean> {
    while (!this.ticks.settledBefore(serial)) {
      const underWay = this.tickFlushes.current;
      if (underWay && !this.ticks.bufferedBefore(serial)) await underWay;
      else if (this.ticks.length > 0 || underWay) await this.flushTicks();
      else throw new Error('tick serials out of step: ticks before the bars pending, none buffered or in flight');
      if (!this.health.ticks) return false;
    }
    return true;
  }

  private onTickWriting(seq: number): void {
    // Trades that arrived meanwhile may go now, beside the COMMIT.
    if (this.tickFlushes.writing(seq) && this.ticks.length > 0) this.scheduleTicks(0);
  }

  private onBarWriting(seq: number): void {
    if (this.barFlushes.writing(seq) && this.pendingBars.size > 0) this.scheduleBars(0);
  }

  /** Once a refused write found a lease lost, what is left of its contracts is the new holder's
   * (which resumes from what is stored): left out of every flush, never sent to be refused. */
  private leaveOutLostBars(bars: readonly ContractBar[]): readonly ContractBar[] {
    const fence = this.options.fence;
    return fence?.anyLost ? bars.filter((b) => fence.holds(b.contractId)) : bars;
  }

  private requeueTicks(failed: PendingTickBatch): void {
    const fenced = this.ticks.putBack(failed);
    if (fenced > 0) this.options.metrics.ticksFenced.inc(fenced);
    const cap = this.options.maxBufferedTicks ?? DEFAULT_MAX_BUFFERED_TICKS;
    if (this.ticks.length > cap) {
      this.options.metrics.ticksDropped.inc(this.ticks.length - cap);
      this.ticks.dropOldest(this.ticks.length - cap);
    }
  }

  private requeueBars(failed: readonly ContractBar[]): void {
    // Newer state of the same bar (from trades since) wins over the failed copy; a contract whose
    // lease went elsewhere is the new holder's.
    const fence = this.options.fence;
    for (const bar of failed) if (!fence || fence.holds(bar.contractId)) this.pendingBars.restore(bar);
  }
}

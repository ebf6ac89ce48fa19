// Ingest pipeline: validated trades → bar aggregator → periodic flush (bars + ticks + NOTIFY).
import { barKey, type BarAggregator, type ContractBar, type ContractSettings, type Trade } from '@barstream/core';
import { type Logger, type Pool, RateLimitedLog } from '@barstream/core/node';
import { FlushOrderError, writeFlush } from './bar-store.ts';
import { FlushSequence } from './flush-sequence.ts';
import type { IngestMetrics } from './ingest-metrics.ts';
import type { HistorySync } from './history-sync.ts';
import type { MarketClock } from './market-clock.ts';
import type { ProviderSink, Quote } from './providers/provider.ts';
import { StreamJumpGuard } from './stream-jump-guard.ts';
import { rejectReason, type TradeValidatorOptions } from './trade-validator.ts';

const MAX_TICKS_PER_FLUSH = 25_000;
/** Ticks waiting for the database, at most (about 40 MB): beyond it the oldest are dropped and counted. */
const DEFAULT_MAX_BUFFERED_TICKS = 250_000;

export interface IngestPipelineOptions {
  readonly pool: Pool;
  readonly aggregator: BarAggregator;
  readonly clock: MarketClock;
  readonly logger: Logger;
  readonly metrics: IngestMetrics;
  readonly contracts: ReadonlySet<string>;
  readonly flushIntervalMs: number;
  /** Stream time further than this from the wall clock is warned about (never a reason to drop a
   * trade); a trade further than this ahead of the stream clock is held until the stream confirms it. */
  readonly maxClockSkewMs: number;
  /** Ticks kept while the database is slow or unreachable; bars are always kept. */
  readonly maxBufferedTicks?: number;
  /** Interval between two warnings of one kind (default 10 s). */
  readonly warnIntervalMs?: number;
  /** Delay between a tick arriving and its write (batches under load). Default 2 ms. */
  readonly tickFlushMs?: number;
  /** Backfill and connect-minute repair; absent for providers without history. */
  readonly history?: HistorySync;
}

export class IngestPipeline implements ProviderSink {
  private timer: NodeJS.Timeout | undefined;
  private ticks: Trade[] = [];
  private readonly pendingBars = new Map<string, ContractBar>();
  /** Flushes under way, in order (two at most). */
  private readonly flushes = new FlushSequence((bars, ticks) => this.requeue(bars, ticks));
  private readonly rateLimited: RateLimitedLog;
  private readonly lastTradeAt = new Map<string, number>();
  private connected = false;
  private awaitingFirstTrade = false;
  private formingDue = false;
  private quotes = new Map<string, Quote>();
  private stopped = false;
  private soon: NodeJS.Timeout | undefined;
  private lastFlushOk = true;
  /** performance.now() when the oldest trade not yet committed arrived (for ingester_trade_to_notify_seconds). */
  private oldestPendingAt: number | undefined;

  private readonly validation: TradeValidatorOptions;
  /** Contracts whose trades are taken: the configured ones and the watchlist's additions. */
  private readonly contracts: Set<string>;
  /** Added while the feed is up: synced with history from the first trade the feed sends for them. */
  private readonly joining = new Map<string, ContractSettings>();
  private readonly jumpGuard: StreamJumpGuard;
  private readonly received = new Map<string, number>();
  /** Trades received per contract not yet added to ticksReceived: a labelled counter's inc costs a
   * label hash and lookup, so it is paid once per flush instead of once per provider batch. */
  private readonly unreported = new Map<string, number>();
  private readonly accept = (trade: Trade): void => this.aggregate(trade);
  private readonly rejectOutlier = (trade: Trade): void =>
    this.onRejected(
      `outlier timestamp ${new Date(trade.time).toISOString()} jumped more than ${this.options.maxClockSkewMs} ms ahead of the stream, which did not follow`,
      trade,
    );

  constructor(private readonly options: IngestPipelineOptions) {
    this.rateLimited = new RateLimitedLog(options.logger, options.warnIntervalMs);
    this.contracts = new Set(options.contracts);
    this.validation = { contracts: this.contracts };
    this.jumpGuard = new StreamJumpGuard(options.clock, options.maxClockSkewMs);
  }

  onTrades(trades: readonly Trade[]): void {
    const { clock } = this.options;
    clock.holdWall();
    try {
      for (const trade of trades) {
        const reason = rejectReason(trade, this.validation);
        if (reason) this.onRejected(reason, trade);
        else this.jumpGuard.admit(trade, this.accept, this.rejectOutlier);
      }
    } finally {
      clock.releaseWall();
    }
    this.afterTrades();
  }

  /** One trade the stream vouches for: it moves the clock, its bars and the tick buffer. */
  private aggregate(trade: Trade): void {
    const { aggregator, clock, metrics } = this.options;
    clock.observe(trade.time);
    if (this.awaitingFirstTrade) {
      this.awaitingFirstTrade = false;
      void this.options.history?.onConnected(trade.time);
    }
    const joining = this.joining.get(trade.contractId);
    if (joining) {
      this.joining.delete(trade.contractId);
      // As on a connect: backfill up to this trade's minute, repair that minute once the vendor has it.
      void this.options.history?.addContract(joining, trade.time);
    }
    if (aggregator.addTrade(trade, clock.now()) === 'late') {
      metrics.lateTrades.inc();
      this.rateLimited.warn(
        'late',
        { contract: trade.contractId, time: new Date(trade.time).toISOString() },
        'trade arrived after its bar closed; dropped',
      );
      return;
    }
    this.options.history?.onTrade(trade);
    this.received.set(trade.contractId, (this.received.get(trade.contractId) ?? 0) + 1);
    this.ticks.push(trade);
  }

  /** Per batch, not per trade: labelled counters cost a lookup each. */
  private afterTrades(): void {
    const { clock, metrics, maxClockSkewMs } = this.options;
    const now = Date.now();
    for (const [contract, n] of this.received) {
      this.unreported.set(contract, (this.unreported.get(contract) ?? 0) + n);
      this.lastTradeAt.set(contract, now);
    }
    if (this.received.size > 0) this.oldestPendingAt ??= performance.now();
    this.received.clear();
    const skew = clock.skewMs();
    if (skew !== undefined) {
      metrics.streamSkew.set(skew / 1000);
      if (Math.abs(skew) > maxClockSkewMs) {
        this.rateLimited.warn(
          'skew',
          { skewSeconds: Math.round(skew / 1000), streamTime: new Date(now + skew).toISOString() },
          'stream time is far from the wall clock (bars close on stream time; trades are kept)',
        );
      }
    }
    this.boundTicks();
    if (this.ticks.length > 0) this.scheduleFlush();
  }

  /** Memory is bounded whatever the rate: when the database falls behind, the oldest ticks go (bars stay exact). */
  private boundTicks(): void {
    const cap = this.options.maxBufferedTicks ?? DEFAULT_MAX_BUFFERED_TICKS;
    if (this.ticks.length <= cap) return;
    const excess = this.ticks.length - cap;
    this.options.metrics.ticksDropped.inc(excess);
    this.ticks = this.ticks.slice(excess);
    this.rateLimited.warn(
      'tick-buffer',
      { dropped: excess, cap },
      'tick buffer full (database behind); oldest ticks dropped, bars unaffected',
    );
  }

  /** Quotes do not move bars; the latest per contract is relayed with the next flush. */
  onQuote(quote: Quote): void {
    const prices = [quote.lastPrice, quote.bestBid, quote.bestAsk].filter((p) => p !== undefined);
    if (!this.contracts.has(quote.contractId)) return this.onRejected(`unknown contract '${quote.contractId}' in quote`, quote);
    if (prices.some((p) => !Number.isFinite(p) || p <= 0) || !Number.isFinite(quote.time))
      return this.onRejected('quote with an invalid price or time', quote);
    // Quotes never move the clock: only trades make bars.
    this.quotes.set(quote.contractId, quote);
    this.scheduleFlush();
  }

  onRejected(reason: string, detail?: unknown): void {
    this.options.metrics.ticksRejected.inc({ reason: reason.split(' ')[0] ?? 'invalid' });
    this.rateLimited.warn(`reject:${reason.split(' ')[0]}`, { reason, detail }, 'provider input rejected');
  }

  /** Takes trades of one more contract from now on (the provider was asked to stream it). */
  addContract(contract: ContractSettings): void {
    if (this.contracts.has(contract.id)) return;
    this.contracts.add(contract.id);
    // Feed up: its history is synced from its first trade. Down: the reconnect syncs it with the rest.
    if (this.connected && !this.awaitingFirstTrade) this.joining.set(contract.id, contract);
    else void this.options.history?.addContract(contract, undefined);
  }

  /** Refuses its trades from now on; its stored bars stay. */
  removeContract(contractId: string): void {
    this.contracts.delete(contractId);
    this.joining.delete(contractId);
    this.options.history?.removeContract(contractId);
  }

  /** Stops taking a contract's trades and stores what it has of it (forming bars too), then forgets
   * it: another instance resumes it from storage (its lease moved). */
  async handOver(contractId: string): Promise<void> {
    this.removeContract(contractId);
    await this.flush();
    this.formingDue = true;
    await this.flush();
    this.options.aggregator.forgetContract(contractId);
  }

  get contractIds(): readonly string[] {
    return [...this.contracts];
  }

  onConnectionChange(connected: boolean): void {
    if (connected === this.connected) return;
    this.connected = connected;
    if (!connected) {
      // Contracts still waiting for their first trade are synced by the reconnect with the rest.
      for (const contract of this.joining.values()) void this.options.history?.addContract(contract, undefined);
      this.joining.clear();
      this.options.metrics.reconnects.inc();
      this.options.logger.warn('provider feed lost; it reconnects by itself');
      // Trades are being missed: the buckets forming now are rebuilt from history on reconnect,
      // so what live trading put into them must go (kept, it would be counted twice).
      if (this.options.history) {
        this.options.aggregator.discardForming(this.options.history.backfilledTimeframes);
        this.options.history.onDisconnected();
      }
      return;
    }
    // The connect time comes from the stream: the first trade after it (a replay or an
    // accelerated feed runs ahead of wall time).
    this.awaitingFirstTrade = true;
  }

  /** A finite replay ended: every bar may close now. */
  onEndOfStream(): void {
    this.jumpGuard.release(this.accept, true);
    this.afterTrades();
    this.options.clock.finish();
    this.formingDue = true;
    this.scheduleFlush(0);
  }

  /** Ticks and closed bars are written as soon as the previous write finished (a few ms apart,
   * batching under load); forming bars at most every flush_interval_ms. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.formingDue = true;
      this.scheduleFlush(0);
    }, this.options.flushIntervalMs);
  }

  /** Stops the timers and writes what is buffered (forming bars stay forming). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.stopped = true;
    if (this.soon) clearTimeout(this.soon);
    await this.options.history?.stop();
    // A flush under way may have started without the forming bars: wait for it, then write them
    // (flush() would otherwise hand back that flush, and ticks would be stored without their bars).
    await this.flushes.current;
    this.jumpGuard.release(this.accept, true);
    this.formingDue = true;
    await this.flush();
    // Bounded flushes: what a burst left over goes out too, unless the database is failing.
    while (this.ticks.length > 0 && this.lastFlushOk) await this.flush();
  }

  private scheduleFlush(delayMs = this.options.tickFlushMs ?? 2): void {
    if (this.soon || this.stopped) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      // Ticks still buffered waited through the flush (or the one in flight): no second delay.
      void this.flush().then(() => {
        if (this.ticks.length > 0) this.scheduleFlush(0);
      });
    }, delayMs);
  }

  get bufferedTicks(): number {
    return this.ticks.length;
  }

  /** Bars waiting for the next flush (a queue depth beside bufferedTicks). */
  get pendingBarCount(): number {
    return this.pendingBars.size;
  }

  /** Seconds since the last trade, per contract that has had one. */
  tradeAges(): Record<string, number> {
    const now = Date.now();
    return Object.fromEntries([...this.lastTradeAt].map(([c, t]) => [c, (now - t) / 1000]));
  }

  health(): Record<string, unknown> {
    const ages = this.tradeAges();
    for (const [c, age] of Object.entries(ages)) this.options.metrics.lastTradeAge.set({ contract: c }, age);
    return {
      provider_connected: this.connected,
      database_ok: this.lastFlushOk,
      buffered_ticks: this.ticks.length,
      pending_bars: this.pendingBars.size,
      last_trade_age_seconds: ages,
    };
  }

  /** Starts a flush of what is buffered, or hands back the newest one under way when a second may
   * not start yet. Two overlap at most: the newer one takes its batch and COPYs its ticks once the
   * older one's ticks are COPYed, then waits for that one's COMMIT (writeFlush's `order`): Node's
   * encoding and PostgreSQL's COPY of one flush run beside the other's NOTIFYs and COMMIT, and
   * flushes still commit one after the other, in order. A failed write keeps its bars and ticks for
   * the next attempt (with the flush after it, rolled back so that both are retried in order). */
  flush(): Promise<void> {
    return this.flushes.start((seq, after) => this.flushOnce(seq, after));
  }

  private onWriting(seq: number): void {
    // Trades that arrived meanwhile may go now, beside the COMMIT.
    if (this.flushes.writing(seq) && this.ticks.length > 0) this.scheduleFlush(0);
  }

  /** True when the batch committed (or there was none and the flush before committed). */
  private async flushOnce(seq: number, after: Promise<boolean> | undefined): Promise<boolean> {
    const { aggregator, clock, metrics, pool } = this.options;
    for (const [contract, n] of this.unreported) metrics.ticksReceived.inc({ contract }, n);
    this.unreported.clear();
    if (this.jumpGuard.holding) {
      this.jumpGuard.release(this.accept);
      if (!this.jumpGuard.holding) this.afterTrades();
    }
    aggregator.advance(clock.now());
    const includeForming = this.formingDue;
    this.formingDue = false;
    for (const bar of aggregator.drain(includeForming)) this.pendingBars.set(barKey(bar.contractId, bar.unit, bar.value, bar.time), bar);
    const bars = [...this.pendingBars.values()];
    // Bounded transactions keep memory flat and latency even under a burst.
    const ticks = this.ticks.length <= MAX_TICKS_PER_FLUSH ? this.ticks : this.ticks.slice(0, MAX_TICKS_PER_FLUSH);
    const quotes = [...this.quotes.values()];
    if (bars.length === 0 && ticks.length === 0 && quotes.length === 0) return after ? after : true;
    this.quotes = new Map();
    this.pendingBars.clear();
    this.ticks = ticks === this.ticks ? [] : this.ticks.slice(MAX_TICKS_PER_FLUSH);
    const oldestAt = this.oldestPendingAt;
    // Ticks left for the next flush arrived no earlier than this flush's oldest: measured from it.
    this.oldestPendingAt = this.ticks.length > 0 ? oldestAt : undefined;
    const stopTimer = metrics.flushSeconds.startTimer();
    try {
      const result = await writeFlush(pool, bars, ticks, quotes, { after, onWriting: () => this.onWriting(seq) });
      stopTimer();
      if (oldestAt !== undefined) metrics.tradeToNotify.observe((performance.now() - oldestAt) / 1000);
      metrics.barsWritten.inc(result.bars);
      metrics.ticksWritten.inc(result.ticks);
      metrics.notifies.inc(result.notifies);
      if (!this.lastFlushOk) this.options.logger.info('database writes recovered');
      this.lastFlushOk = true;
      return true;
    } catch (err) {
      metrics.flushFailures.inc();
      this.lastFlushOk = false;
      // The requeued trades still wait: the next commit measures from the oldest of them.
      if (oldestAt !== undefined) this.oldestPendingAt = Math.min(oldestAt, this.oldestPendingAt ?? oldestAt);
      this.flushes.failedWith(seq, bars, ticks);
      if (!(err instanceof FlushOrderError)) {
        this.rateLimited.warn('flush', { err: (err as Error).message, bars: bars.length, ticks: ticks.length }, 'flush failed; will retry');
      }
      return false;
    }
  }

  private requeue(bars: readonly ContractBar[], ticks: readonly Trade[]): void {
    // Newer state of the same bar (from trades since) wins over the failed copy.
    for (const bar of bars) {
      const key = barKey(bar.contractId, bar.unit, bar.value, bar.time);
      if (!this.pendingBars.has(key)) this.pendingBars.set(key, bar);
    }
    const merged = ticks.concat(this.ticks);
    const cap = this.options.maxBufferedTicks ?? DEFAULT_MAX_BUFFERED_TICKS;
    if (merged.length > cap) {
      this.options.metrics.ticksDropped.inc(merged.length - cap);
      this.ticks = merged.slice(merged.length - cap);
    } else {
      this.ticks = merged;
    }
  }
}

// Ingest pipeline: validated trades → bar aggregator → periodic flush (bars + ticks + NOTIFY,
// ingest-flusher.ts). It owns what the provider feeds in: which contracts are taken, the stream
// clock, connects and hand-overs.
import type { BarAggregator, ContractSettings, Trade } from '@barstream/core';
import { type Logger, type Pool, RateLimitedLog } from '@barstream/core/node';
import type { IngestFence } from './fence-check.ts';
import { IngestFlusher } from './ingest-flusher.ts';
import type { IngestMetrics } from './ingest-metrics.ts';
import type { HistorySync } from './history-sync.ts';
import type { MarketClock } from './market-clock.ts';
import type { ProviderSink, Quote } from './providers/provider.ts';
import { StreamJumpGuard } from './stream-jump-guard.ts';
import { rejectReason, type TradeValidatorOptions } from './trade-validator.ts';

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
  /** Lease fencing of every flush (fence-check.ts); absent when leases are off. */
  readonly fence?: IngestFence;
}

export class IngestPipeline implements ProviderSink {
  private timer: NodeJS.Timeout | undefined;
  private readonly flusher: IngestFlusher;
  private readonly rateLimited: RateLimitedLog;
  private readonly lastTradeAt = new Map<string, number>();
  private connected = false;
  private awaitingFirstTrade = false;

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
    this.flusher = new IngestFlusher({ ...options, rateLimited: this.rateLimited, beforeFlush: () => this.beforeFlush() });
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
      // Recorded, not dropped: its tick is stored; its closed bar stays as written (signals may stand on
      // it), for the connect repair or `npm run download` to rewrite from the vendor's history.
      metrics.lateTrades.inc();
      this.rateLimited.warn(
        'late',
        { contract: trade.contractId, time: new Date(trade.time).toISOString() },
        'trade arrived after its bar closed; its tick is stored, the closed bar is not amended',
      );
    } else {
      this.options.history?.onTrade(trade);
    }
    this.received.set(trade.contractId, (this.received.get(trade.contractId) ?? 0) + 1);
    this.flusher.addTick(trade);
  }

  /** Per batch, not per trade: labelled counters cost a lookup each. */
  private afterTrades(): void {
    const { clock, metrics, maxClockSkewMs } = this.options;
    const now = Date.now();
    for (const [contract, n] of this.received) {
      this.unreported.set(contract, (this.unreported.get(contract) ?? 0) + n);
      this.lastTradeAt.set(contract, now);
    }
    const arrived = this.received.size > 0;
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
    this.flusher.afterTicks(arrived);
  }

  /** Quotes do not move bars; the latest per contract is relayed with the next flush. */
  onQuote(quote: Quote): void {
    const prices = [quote.lastPrice, quote.bestBid, quote.bestAsk].filter((p) => p !== undefined);
    if (!this.contracts.has(quote.contractId)) return this.onRejected(`unknown contract '${quote.contractId}' in quote`, quote);
    if (prices.some((p) => !Number.isFinite(p) || p <= 0) || !Number.isFinite(quote.time))
      return this.onRejected('quote with an invalid price or time', quote);
    // Quotes never move the clock: only trades make bars.
    this.flusher.addQuote(quote);
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
    await this.flusher.flush();
    await this.flusher.flushBars();
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
    this.flusher.flushFormingSoon();
  }

  /** Ticks and closed bars are written as soon as the previous write finished (a few ms apart,
   * batching under load); forming bars at most every flush_interval_ms. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.flusher.flushFormingSoon(), this.options.flushIntervalMs);
  }

  /** Stops the timers and writes what is buffered (forming bars stay forming). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.flusher.halt();
    await this.options.history?.stop();
    // A flush under way may have started without the forming bars: wait for it, then write them
    // (flush() would otherwise hand back that flush, and ticks would be stored without their bars).
    await this.flusher.current;
    this.jumpGuard.release(this.accept, true);
    await this.flusher.flushAll();
  }

  get bufferedTicks(): number {
    return this.flusher.bufferedTicks;
  }

  /** Bars waiting for the next flush (a queue depth beside bufferedTicks). */
  get pendingBarCount(): number {
    return this.flusher.pendingBarCount;
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
      database_ok: this.flusher.databaseOk,
      buffered_ticks: this.flusher.bufferedTicks,
      pending_bars: this.flusher.pendingBarCount,
      last_trade_age_seconds: ages,
    };
  }

  /** Writes what is buffered now (see IngestFlusher.flush). */
  flush(): Promise<void> {
    return this.flusher.flush();
  }

  /** First in every flush: counters reported, trades the jump guard held let in if the stream followed. */
  private beforeFlush(): void {
    const { metrics } = this.options;
    for (const [contract, n] of this.unreported) metrics.ticksReceived.inc({ contract }, n);
    this.unreported.clear();
    if (this.jumpGuard.holding) {
      this.jumpGuard.release(this.accept);
      if (!this.jumpGuard.holding) this.afterTrades();
    }
  }
}

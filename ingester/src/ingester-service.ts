// The ingester as one start/stop unit: provider → pipeline → PostgreSQL, with metrics and health.
import {
  BarAggregator,
  calendarFor,
  type ContractSettings,
  ingestContracts,
  parseTimeframe,
  type SessionCalendar,
  type Settings,
} from '@barstream/core';
import {
  createMetricsRegistry,
  createPool,
  type Logger,
  type MetricsServer,
  type Pool,
  registerPoolMetrics,
  startMetricsServer,
} from '@barstream/core/node';
import { Gauge } from 'prom-client';
import { ContractLeases } from './contract-leases.ts';
import { syncContracts } from './contract-sync.ts';
import { loadFormingBars } from './forming-bars.ts';
import { HistorySync } from './history-sync.ts';
import { createIngestMetrics } from './ingest-metrics.ts';
import { IngestPipeline } from './ingest-pipeline.ts';
import { LeasedFeed } from './leased-feed.ts';
import { MarketClock } from './market-clock.ts';
import type { MarketDataProvider } from './providers/provider.ts';
import { readStoredTails, rebuildUnclosedBars } from './replay-resume.ts';
import { RetentionScheduler } from './retention-scheduler.ts';
import { WatchlistFollower } from './watchlist-follower.ts';

export interface IngesterServiceOptions {
  readonly settings: Settings;
  readonly databaseUrl: string;
  readonly contracts: readonly ContractSettings[];
  readonly provider: MarketDataProvider;
  readonly logger: Logger;
  /** Set for replays (their speed; Infinity: as fast as possible): the clock follows the stream. */
  readonly replaySpeed?: number;
  /** Port for /metrics and /health; 0 picks a free one, undefined uses settings. */
  readonly metricsPort?: number;
  /** Interval between two warnings of one kind (default 10 s). */
  readonly warnIntervalMs?: number;
}

export class IngesterService {
  private pool: Pool | undefined;
  private retention: RetentionScheduler | undefined;
  private pipeline: IngestPipeline | undefined;
  private metricsServer: MetricsServer | undefined;
  private watchlist: WatchlistFollower | undefined;
  private leases: ContractLeases | undefined;
  private state: 'idle' | 'running' | 'stopped' = 'idle';

  constructor(private readonly options: IngesterServiceOptions) {}

  get metricsPort(): number | undefined {
    return this.metricsServer?.port;
  }

  async start(): Promise<void> {
    if (this.state !== 'idle') return;
    this.state = 'running';
    const { settings, logger, provider } = this.options;
    // The venue's own description of the configured contracts (e.g. Coinbase's tick size).
    const configured = provider.describeContracts ? await provider.describeContracts(this.options.contracts) : this.options.contracts;
    // Up to four flushes hold a connection at once (two tick flushes, two bar flushes: ingest-flusher.ts);
    // two more keep backfill, connect repair and retention from queueing behind them.
    const pool = createPool(this.options.databaseUrl, { applicationName: 'barstream-ingester', logger, max: 6 });
    this.pool = pool;
    await syncContracts(pool, configured);
    const watchlist = provider.addContract ? this.watchlistFollower(pool) : undefined;
    this.watchlist = watchlist;
    // Watchlist contracts are streamed from the start like the configured ones.
    const added = (await watchlist?.initial()) ?? [];
    await syncContracts(pool, added);
    const contracts = [...configured, ...added];
    const leases = settings.leases.enabled ? this.contractLeases(contracts) : undefined;
    this.leases = leases;
    await leases?.start(() => this.state !== 'running');
    if (this.state !== 'running') return; // stopped while waiting as the standby
    // Another instance streams the rest (their leases); they are taken over when it dies.
    const held = leases?.heldContracts() ?? contracts;
    const calendars = new Map<string, SessionCalendar>(contracts.map((c) => [c.id, calendarFor(settings, c)]));
    const aggregator = new BarAggregator({
      timeframes: settings.ingester.timeframes.map((t) => parseTimeframe(t)),
      calendarFor: (id) => calendars.get(id) as SessionCalendar,
      graceMs: settings.ingester.close_grace_ms,
    });
    const registry = createMetricsRegistry('ingester');
    const metrics = createIngestMetrics(registry, () => this.pipeline?.tradeAges() ?? {});
    const clock = this.clockFor();
    const history = new HistorySync({
      pool,
      provider: this.options.provider,
      aggregator,
      contracts: held,
      calendars,
      timeframes: aggregator.timeframeList,
      lookbackMs: settings.ingester.backfill_lookback_hours * 3_600_000,
      graceMs: settings.ingester.close_grace_ms,
      now: () => clock.now(),
      logger,
      metrics,
      fence: leases?.fence(),
    });
    // Buckets that backfill rebuilds from history are not resumed from their stored forming rows.
    const rebuilt = new Set(history.backfilledTimeframes.map((t) => `${t.unit}|${t.value}`));
    const heldIds = held.map((c) => c.id);
    // A replay continues after what is stored (a restart, or a standby taking the feed over).
    const forming = provider.resumeAfter
      ? await rebuildUnclosedBars(
          {
            pool,
            timeframes: aggregator.timeframeList,
            calendarFor: (id) => calendars.get(id) as SessionCalendar,
            graceMs: settings.ingester.close_grace_ms,
          },
          heldIds,
        )
      : (await loadFormingBars(pool, heldIds)).filter((b) => !rebuilt.has(`${b.unit}|${b.value}`));
    for (const bar of forming) aggregator.seed(bar);
    if (provider.resumeAfter) {
      const tails = await readStoredTails(pool, heldIds);
      for (const tail of tails.values()) clock.resumeAt(tail.time);
      provider.resumeAfter(tails);
    }
    const pipeline = new IngestPipeline({
      pool,
      aggregator,
      clock,
      logger,
      metrics,
      history,
      contracts: new Set(held.map((c) => c.id)),
      flushIntervalMs: settings.ingester.flush_interval_ms,
      maxClockSkewMs: settings.ingester.max_clock_skew_ms,
      warnIntervalMs: this.options.warnIntervalMs,
      fence: leases?.fence(),
    });
    this.pipeline = pipeline;
    registerPoolMetrics(registry, pool);
    leases?.manager.registerMetrics(registry);
    new Gauge({
      name: 'ingester_queue_depth',
      help: 'Waiting for the next flush: ticks, bars',
      labelNames: ['queue'],
      registers: [registry],
      collect() {
        this.set({ queue: 'ticks' }, pipeline.bufferedTicks);
        this.set({ queue: 'bars' }, pipeline.pendingBarCount);
      },
    });
    this.metricsServer = await startMetricsServer({
      registry,
      host: settings.ingester.metrics_host,
      port: this.options.metricsPort ?? settings.ingester.metrics_port,
      databaseUrl: this.options.databaseUrl,
      health: () => ({
        ok: true,
        service: 'ingester',
        provider: this.options.provider.name,
        contracts: pipeline.contractIds,
        watchlist: watchlist?.contracts ?? [],
        ...(leases ? { leases: leases.manager.health() } : {}),
        ...pipeline.health(),
      }),
    });
    pipeline.start();
    // In the ingester because it writes ticks and bars: one place decides what is stored and for how long.
    this.retention = new RetentionScheduler({ pool, retention: settings.retention, logger, metrics });
    await this.retention.start();
    for (const c of added) await provider.addContract?.(c);
    const unheld = contracts.filter((c) => !held.includes(c));
    for (const c of unheld) await provider.removeContract?.(c.id);
    const feed = leases?.perContract
      ? new LeasedFeed(
          provider,
          held.map((c) => c.id),
        )
      : undefined;
    await leases?.attach({
      take: async (c) => {
        // Stored forming bars of timeframes history does not rebuild are continued, as on a start.
        const stored = (await loadFormingBars(pool, [c.id])).filter((b) => !rebuilt.has(`${b.unit}|${b.value}`));
        for (const bar of stored) aggregator.seed(bar);
        pipeline.addContract(c);
        await feed?.add(c);
      },
      drop: async (id) => {
        await feed?.remove(id);
        await pipeline.handOver(id);
      },
      streaming: () => pipeline.contractIds,
    });
    await (feed ?? provider).start(pipeline);
    await watchlist?.listen({
      add: async (c) => {
        await syncContracts(pool, [c]);
        calendars.set(c.id, calendarFor(settings, c));
        if (leases) return leases.add(c);
        pipeline.addContract(c);
        await provider.addContract?.(c);
      },
      remove: async (id) => {
        if (leases) return leases.remove(id);
        await provider.removeContract?.(id);
        pipeline.removeContract(id);
      },
    });
    logger.info(
      {
        provider: this.options.provider.name,
        contracts: [...calendars.keys()],
        timeframes: settings.ingester.timeframes,
        resumedFormingBars: forming.length,
        metricsPort: this.metricsServer.port,
      },
      'ingester started',
    );
  }

  /** Resolves a watchlist id as ingester.contracts would (a listed contract of this provider, or an
   * unlisted Binance symbol). */
  private watchlistFollower(pool: Pool): WatchlistFollower {
    const { settings } = this.options;
    return new WatchlistFollower({
      pool,
      databaseUrl: this.options.databaseUrl,
      logger: this.options.logger,
      configured: new Set(this.options.contracts.map((c) => c.id)),
      resolve: (id) => {
        try {
          const [contract] = ingestContracts({ ...settings, ingester: { ...settings.ingester, contracts: [id] } });
          return contract ?? `unknown contract '${id}'`;
        } catch (error) {
          return (error as Error).message;
        }
      },
    });
  }

  /** Per contract when the provider adds and drops contracts live; else one lease for the whole feed. */
  private contractLeases(contracts: readonly ContractSettings[]): ContractLeases {
    const { provider, settings, logger } = this.options;
    return new ContractLeases({
      databaseUrl: this.options.databaseUrl,
      retryMs: settings.leases.retry_ms,
      logger,
      perContract: provider.addContract !== undefined && provider.removeContract !== undefined,
      contracts,
      // Restarted by its supervisor, it comes back as the standby.
      onFeedLost: () => {
        logger.error('the feed lease went to another ingester while disconnected; stopping');
        process.kill(process.pid, 'SIGTERM');
      },
    });
  }

  /** Every provider's clock is its stream (market-clock.ts); only how it runs between trades differs. */
  private clockFor(): MarketClock {
    if (this.options.replaySpeed === undefined) return new MarketClock({ rate: 1 });
    // A replay's clock is its last trade: emission is paced in timer ticks, and extrapolating
    // between them at N× would close buckets before their trades were sent.
    return new MarketClock({ rate: 0 });
  }

  async stop(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopped';
    await this.watchlist?.stop();
    await this.options.provider.stop();
    await this.pipeline?.stop();
    await this.retention?.stop();
    // After the last flush: the standby resumes from what is stored.
    await this.leases?.stop();
    await this.metricsServer?.close();
    await this.pool?.end();
    this.options.logger.info('ingester stopped');
  }
}

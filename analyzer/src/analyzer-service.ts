// The analyzer: LISTEN for closed bars and imports, run each target's strategy, sweep on a schedule.
import { isClosedBar, type OhlcBar, type Settings } from '@barstream/core';
import {
  createMetricsRegistry,
  createPool,
  LeaseManager,
  type Logger,
  type MetricsServer,
  NotificationListener,
  type Pool,
  registerPoolMetrics,
  startMetricsServer,
} from '@barstream/core/node';
import cron, { type ScheduledTask } from 'node-cron';
import { type AnalyzerMetrics, createAnalyzerMetrics } from './analyzer-metrics.ts';
import { SharedBarPages, seriesKey } from './shared-bar-pages.ts';
import { smcInstances } from './smc-instances.ts';
import { SmcRunner } from './smc-runner.ts';
import { analysisUnits } from './targets.ts';
import { TargetRunner } from './target-runner.ts';

export interface AnalyzerServiceOptions {
  readonly settings: Settings;
  readonly databaseUrl: string;
  readonly logger: Logger;
  readonly metricsPort?: number;
}

export class AnalyzerService {
  readonly runners: TargetRunner[];
  readonly smcRunners: SmcRunner[];
  private readonly pool: Pool;
  private readonly pages: SharedBarPages;
  private readonly listener: NotificationListener;
  private sweep: ScheduledTask | undefined;
  private metricsServer: MetricsServer | undefined;
  private readonly registry = createMetricsRegistry('analyzer');
  private readonly metrics: AnalyzerMetrics;
  private state: 'idle' | 'running' | 'stopped' = 'idle';
  /** With leases on: the targets and SMC instances this instance runs (another runs the rest). */
  private readonly leases: LeaseManager | undefined;

  constructor(private readonly options: AnalyzerServiceOptions) {
    const { settings, logger } = options;
    this.pool = createPool(options.databaseUrl, { applicationName: 'barstream-analyzer', logger, max: 4 });
    const metrics = createAnalyzerMetrics(this.registry, () => this.runners);
    this.metrics = metrics;
    registerPoolMetrics(this.registry, this.pool);
    const units = analysisUnits(settings);
    const perSeries = new Map<string, number>();
    for (const u of units) {
      const series = seriesKey(u.contractId, u.timeframe.unit, u.timeframe.value);
      perSeries.set(series, (perSeries.get(series) ?? 0) + 1);
    }
    this.pages = new SharedBarPages(this.pool, (series) => perSeries.get(series) ?? 0);
    this.runners = units.map(
      (unit) =>
        new TargetRunner(
          unit,
          this.pool,
          logger,
          {
            onSignals: (u, n) => metrics.signals.inc({ target: u.key }, n),
            onBars: (u, n) => metrics.bars.inc({ target: u.key }, n),
            onRejectedBar: (u, reason) => {
              metrics.rejectedBars.inc({ target: u.key });
              logger.warn({ target: u.key, reason }, 'bar rejected before reaching the strategy');
            },
            onFailed: (u, err) => logger.error({ target: u.key, err: err.message }, 'strategy threw; target marked failed'),
          },
          this.pages.read,
        ),
    );
    this.smcRunners = smcInstances(settings).map(
      (instance) =>
        new SmcRunner(instance, this.pool, logger, {
          onBars: (i, n) => metrics.smcBars.inc({ study: i.key }, n),
          onRows: (i, events, zones) => {
            metrics.smcRows.inc({ study: i.key, table: 'smc_events' }, events);
            metrics.smcRows.inc({ study: i.key, table: 'zones' }, zones);
          },
          onRejectedBar: (i, reason) => {
            metrics.smcRejectedBars.inc({ study: i.key });
            logger.warn({ study: i.key, reason }, 'bar rejected by the SMC engine; skipped');
          },
        }),
    );
    this.leases = settings.leases.enabled ? this.leaseManager() : undefined;
    this.leases?.registerMetrics(this.registry);
    this.listener = new NotificationListener({
      connectionString: options.databaseUrl,
      logger,
      channels: ['ohlcUpdate', 'barsImported'],
      onReconnected: () => {
        // Bars corrected while LISTEN was down were never announced: recompute and reconcile.
        this.pages.invalidateAll();
        for (const r of this.runners.filter(this.runsTarget)) r.requestRebuild();
        for (const r of this.smcRunners.filter(this.runsSmc)) r.requestRebuild();
        void this.catchUpAll();
      },
      onInvalidPayload: (channel, reason) => logger.warn({ channel, reason }, 'invalid NOTIFY payload ignored'),
    })
      .on('ohlcUpdate', (m) => {
        if (!isClosedBar(m)) return; // forming, or unlabelled (origin shape): the sweep reads it once closed in ohlc_bars
        const time = Date.parse(m.timestamp);
        const bar = { time, open: m.open, high: m.high, low: m.low, close: m.close, volume: m.volume };
        this.pages.invalidate(m.contract_id, m.timeframe_unit, m.timeframe_value);
        const receivedAt = performance.now();
        for (const r of this.runnersFor(m.contract_id, m.timeframe_unit, m.timeframe_value)) void this.timed(r, time, bar, receivedAt);
        for (const r of this.smcRunnersFor(m.contract_id, m.timeframe_unit, m.timeframe_value)) void r.noteBar(time, bar);
      })
      .on('barsImported', (m) => {
        this.pages.invalidate(m.contract_id, m.timeframe_unit, m.timeframe_value);
        for (const r of this.runnersFor(m.contract_id, m.timeframe_unit, m.timeframe_value)) void r.noteBar(Date.parse(m.from));
        for (const r of this.smcRunnersFor(m.contract_id, m.timeframe_unit, m.timeframe_value)) void r.noteBar(Date.parse(m.from));
      });
  }

  get metricsPort(): number | undefined {
    return this.metricsServer?.port;
  }

  async start(): Promise<void> {
    if (this.state !== 'idle') return;
    this.state = 'running';
    const { settings, logger } = this.options;
    await this.listener.start();
    // A lone instance holds every unit after the first cycle; a standby holds none yet.
    await this.leases?.start();
    // After LISTEN is active: a bar closed from here on is either seen live or read by this pass.
    await this.catchUpAll();
    this.sweep = cron.schedule(settings.analyzer.sweep_cron, () => void this.catchUpAll(), { name: 'analyzer-sweep' });
    this.metricsServer = await startMetricsServer({
      registry: this.registry,
      host: settings.analyzer.metrics_host,
      port: this.options.metricsPort ?? settings.analyzer.metrics_port,
      databaseUrl: this.options.databaseUrl,
      health: () => this.health(),
    });
    logger.info(
      {
        targets: this.runners.map((r) => r.unit.key),
        smc: this.smcRunners.map((r) => r.instance.key),
        metricsPort: this.metricsServer.port,
      },
      'analyzer started',
    );
  }

  async stop(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopped';
    await this.sweep?.stop();
    await this.listener.stop();
    await this.catchUpAll();
    // After the last pass committed: a standby resumes from these watermarks.
    await this.leases?.stop();
    await this.metricsServer?.close();
    await this.pool.end();
  }

  /** Feeds a closed bar and observes NOTIFY → signals committed once its pass committed it (a failed pass is not a latency). */
  private async timed(runner: TargetRunner, time: number, bar: OhlcBar, receivedAt: number): Promise<void> {
    await runner.noteBar(time, bar);
    if ((runner.watermark ?? -Infinity) >= time) this.metrics.barToSignal.observe((performance.now() - receivedAt) / 1000);
  }

  catchUpAll(): Promise<void> {
    return Promise.all([
      ...this.runners.filter(this.runsTarget).map((r) => r.catchUp()),
      ...this.smcRunners.filter(this.runsSmc).map((r) => r.catchUp()),
    ]).then(() => undefined);
  }

  private readonly runsTarget = (r: TargetRunner): boolean => this.leases?.holds(targetLeaseUnit(r)) ?? true;
  private readonly runsSmc = (r: SmcRunner): boolean => this.leases?.holds(smcLeaseUnit(r)) ?? true;

  /** One lease per target and per SMC study instance: a runner taken over resumes from its stored
   * watermark (rebuilt and reconciled as after a lost LISTEN); one handed back finishes its pass first. */
  private leaseManager(): LeaseManager {
    const { settings, logger, databaseUrl } = this.options;
    const byUnit = new Map<string, TargetRunner | SmcRunner>([
      ...this.runners.map((r) => [targetLeaseUnit(r), r] as const),
      ...this.smcRunners.map((r) => [smcLeaseUnit(r), r] as const),
    ]);
    return new LeaseManager({
      service: 'analyzer',
      databaseUrl,
      retryMs: settings.leases.retry_ms,
      logger,
      units: () => [...byUnit.keys()],
      handler: {
        acquired: (unit) => {
          const runner = byUnit.get(unit);
          runner?.requestRebuild();
          // Not awaited: a long catch-up must not hold up the lease cycle.
          void runner?.catchUp();
        },
        released: async (unit) => {
          await byUnit.get(unit)?.catchUp();
        },
      },
    });
  }

  health(): { ok: boolean; [k: string]: unknown } {
    const targets = this.runners.map((r) => ({
      target: r.unit.key,
      status: r.status,
      failure: r.failure,
      watermark: r.watermark === undefined ? null : new Date(r.watermark).toISOString(),
    }));
    const smc = this.smcRunners.map((r) => ({
      study: r.instance.key,
      through: r.through === undefined ? null : new Date(r.through).toISOString(),
      error: r.lastError?.message ?? null,
    }));
    return {
      ok: this.listener.connected && targets.every((t) => t.status !== 'failed'),
      service: 'analyzer',
      listening: this.listener.connected,
      targets,
      smc,
      ...(this.leases ? { leases: this.leases.health() } : {}),
    };
  }

  private smcRunnersFor(contractId: string, unit: number, value: number): SmcRunner[] {
    return this.smcRunners.filter(
      (r) =>
        this.runsSmc(r) &&
        r.instance.contractId === contractId &&
        r.instance.timeframe.unit === unit &&
        r.instance.timeframe.value === value,
    );
  }

  private runnersFor(contractId: string, unit: number, value: number): TargetRunner[] {
    return this.runners.filter(
      (r) => this.runsTarget(r) && r.unit.contractId === contractId && r.unit.timeframe.unit === unit && r.unit.timeframe.value === value,
    );
  }
}

function targetLeaseUnit(r: TargetRunner): string {
  return `target|${r.unit.key}`;
}

function smcLeaseUnit(r: SmcRunner): string {
  return `smc|${r.instance.key}`;
}

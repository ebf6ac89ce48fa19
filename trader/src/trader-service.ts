// The trader: syncs the strategy files, keeps one paper run per `mode: paper` file, runs every live paper
// run (woken by LISTEN on closed bars, signals and trade_update — tick-model runs also on
// tick_data_channel — and by a periodic scan for anything missed) and executes backtests created through
// the API.
import { resolve } from 'node:path';
import { channels, isClosedBar, LATENCY_BUCKETS_SECONDS, type Settings, tickContractIdsOf } from '@barstream/core';
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
  withAdvisoryMutex,
} from '@barstream/core/node';
import { parseStrategyRunConfig } from '@barstream/core/trading';
import { Counter, Histogram } from 'prom-client';
import { executeBacktest } from './backtest-run.ts';
import { PaperRun, type PaperStepTiming } from './paper-run.ts';
import { readRunContract, withContractInstrument } from './run-contract.ts';
import { claimCreatedBacktest, fixPaperStart, hasPaperRun, paperRunRows, type RunRow } from './run-rows.ts';
import { endRun, insertRun, syncStrategyFiles } from './run-store.ts';
import { readStrategyFile, type StrategyFile, strategyFilesIn } from './strategy-file.ts';
import { TickWakeups } from './tick-wakeups.ts';

export interface TraderServiceOptions {
  readonly settings: Settings;
  readonly rootDir: string;
  readonly databaseUrl: string;
  readonly logger: Logger;
  readonly metricsPort?: number;
  /** Called after each paper step that stored something, with where its time went (benchmarks). */
  readonly onPaperStep?: (runId: number, timing: PaperStepTiming) => void;
}

export class TraderService {
  readonly runs = new Map<number, PaperRun>();
  private readonly pool: Pool;
  private readonly listener: NotificationListener;
  private readonly registry = createMetricsRegistry('trader');
  private readonly steps = new Counter({ name: 'trader_wakeups_total', help: 'Paper run wake-ups', registers: [this.registry] });
  private readonly stepSeconds = new Histogram({
    name: 'trader_paper_step_seconds',
    help: "A paper step's phases: read (its inputs' statement), engine, write (its records' statement, commit included)",
    labelNames: ['phase'],
    buckets: [...LATENCY_BUCKETS_SECONDS],
    registers: [this.registry],
  });
  private metricsServer: MetricsServer | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reconciling: Promise<void> | undefined;
  private reconcileAgain = false;
  private backtesting: Promise<void> | undefined;
  private state: 'idle' | 'running' | 'stopped' = 'idle';
  readonly badFiles: string[] = [];
  /** With leases on: a lease per live paper run; this instance runs the ones it holds. */
  private readonly leases: LeaseManager | undefined;
  /** The live paper runs' lease units, as of the last scan. */
  private liveUnits: string[] = [];
  private readonly tickWakeups = new TickWakeups(
    this.registry,
    (contractId) => [...this.runs.values()].some((r) => r.series.ticks && r.row.config.contract === contractId),
    () => [...this.runs.values()].some((r) => r.series.ticks),
  );

  constructor(private readonly options: TraderServiceOptions) {
    const { logger, settings } = options;
    this.pool = createPool(options.databaseUrl, { applicationName: 'barstream-trader', logger, max: 4 });
    registerPoolMetrics(this.registry, this.pool);
    this.leases = settings.leases.enabled
      ? new LeaseManager({
          service: 'trader',
          databaseUrl: options.databaseUrl,
          retryMs: settings.leases.retry_ms,
          logger,
          units: () => this.liveUnits,
          handler: {
            // Opened by the scan, which replays the run's stored inputs up to its watermark.
            acquired: () => void this.reconcile().then(() => this.wakeAll()),
            released: async (unit) => {
              const runId = Number(unit.slice(RUN_UNIT_PREFIX.length));
              const run = this.runs.get(runId);
              this.runs.delete(runId);
              await run?.stop();
            },
          },
        })
      : undefined;
    this.leases?.registerMetrics(this.registry);
    this.listener = new NotificationListener({
      connectionString: options.databaseUrl,
      logger,
      channels: ['ohlcUpdate', 'signalDetected', 'signalsStored', 'tradeUpdate', 'tickData'],
      onReconnected: () => void this.reconcile().then(() => this.wakeAll()),
      onInvalidPayload: (channel, reason) => {
        if (channel === channels.tickData.name) this.tickWakeups.rejected();
        logger.warn({ channel, reason }, 'invalid NOTIFY payload ignored');
      },
    })
      .on('ohlcUpdate', (m) => {
        if (isClosedBar(m)) this.wake(m.contract_id);
      })
      // The analyzer stores signals and advances its watermark together: the bar they close can now be fed.
      .on('signalDetected', (m) => this.wake(m.contract_id))
      .on('signalsStored', (m) => this.wake(m.contract_id))
      // Tick-model runs fill on stored trades as they arrive, not only when the bar closes; payloads of
      // contracts no tick-model run trades are not even parsed.
      .on(
        'tickData',
        (m) => {
          this.tickWakeups.parsed();
          for (const contractId of tickContractIdsOf(m)) this.wake(contractId, true);
        },
        (raw) => this.tickWakeups.accepts(raw),
      )
      .on('tradeUpdate', (m) => {
        // Our own writes carry rows (or are live marks); the API's (created, start, stop, commands) carry none.
        if (m.live !== true && m.orders === 0 && m.fills === 0 && m.equity_points === 0)
          void this.reconcile().then(() => this.runs.get(m.run_id)?.step());
      });
  }

  /** The /metrics and /health port once started (metricsPort 0 picks a free one). */
  get metricsPort(): number | undefined {
    return this.metricsServer?.port;
  }

  async start(): Promise<void> {
    if (this.state !== 'idle') return;
    this.state = 'running';
    const { settings, logger } = this.options;
    await this.listener.start();
    // Two traders starting together must not both create a file's paper run.
    await withAdvisoryMutex(this.pool, 'trader', 'strategy-files', () => this.syncFiles());
    await this.reconcile();
    // A lone instance holds every run after the first cycle (and opens them in the scan below).
    await this.leases?.start();
    await this.reconcile();
    this.wakeAll();
    this.timer = setInterval(() => void this.reconcile().then(() => this.wakeAll()), settings.trader.scan_interval_ms);
    this.metricsServer = await startMetricsServer({
      registry: this.registry,
      host: settings.trader.metrics_host,
      port: this.options.metricsPort ?? settings.trader.metrics_port,
      databaseUrl: this.options.databaseUrl,
      health: () => this.health(),
    });
    logger.info({ runs: [...this.runs.keys()], metricsPort: this.metricsServer.port }, 'trader started');
  }

  async stop(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopped';
    clearInterval(this.timer);
    await this.listener.stop();
    await this.reconciling;
    await Promise.all([...this.runs.values()].map((r) => r.stop()));
    await this.backtesting;
    // After the runs stopped: a standby replays them from what they stored.
    await this.leases?.stop();
    await this.metricsServer?.close();
    await this.pool.end();
  }

  health(): { ok: boolean; [k: string]: unknown } {
    const runs = [...this.runs.values()].map((r) => r.health());
    return {
      ok: this.listener.connected,
      service: 'trader',
      listening: this.listener.connected,
      runs,
      bad_files: this.badFiles,
      ...(this.leases ? { leases: this.leases.health() } : {}),
    };
  }

  /** Steps the runs of `contractId` (with `ticksOnly`, those of the tick fill model). */
  private wake(contractId: string, ticksOnly = false): void {
    for (const run of this.runs.values()) {
      if (run.row.config.contract === contractId && (!ticksOnly || run.series.ticks)) {
        this.steps.inc();
        void run.step();
      }
    }
  }

  private wakeAll(): void {
    for (const run of this.runs.values()) void run.step();
  }

  /** Syncs config/strategies into `strategies` and creates the paper run of each `mode: paper` file that has none. */
  private async syncFiles(): Promise<void> {
    const { settings, rootDir, logger } = this.options;
    const files: StrategyFile[] = [];
    for (const path of strategyFilesIn(resolve(rootDir, settings.trader.strategies_dir))) {
      try {
        const file = readStrategyFile(path);
        if (file.paper) {
          const contract = await readRunContract(this.pool, settings, contractOf(file));
          parseStrategyRunConfig(withContractInstrument(file.document, contract, path), path);
        }
        files.push(file);
      } catch (err) {
        this.badFiles.push((err as Error).message);
        logger.error({ file: path, err: (err as Error).message }, 'strategy file rejected');
      }
    }
    await syncStrategyFiles(this.pool, files);
    for (const file of files.filter((f) => f.paper)) {
      if (await hasPaperRun(this.pool, file.id)) continue;
      const contract = await readRunContract(this.pool, settings, contractOf(file));
      const config = parseStrategyRunConfig(withContractInstrument(file.document, contract, file.path), file.path);
      const runId = await insertRun(this.pool, { strategyId: file.id, config, status: 'running' });
      logger.info({ run: runId, strategy: file.id }, 'paper run created');
    }
  }

  /** Brings the set of live paper runs in line with strategy_runs, and starts created backtests. */
  reconcile(): Promise<void> {
    if (this.state !== 'running') return Promise.resolve();
    if (this.reconciling) {
      this.reconcileAgain = true;
      return this.reconciling;
    }
    this.reconciling = (async () => {
      try {
        do {
          this.reconcileAgain = false;
          await this.reconcileOnce();
        } while (this.reconcileAgain && this.state === 'running');
      } catch (err) {
        this.options.logger.error({ err: (err as Error).message }, 'run scan failed; retried on the next one');
      } finally {
        this.reconciling = undefined;
      }
    })();
    return this.reconciling;
  }

  private async reconcileOnce(): Promise<void> {
    const { logger } = this.options;
    const live = await paperRunRows(this.pool, (runId, err) => logger.error({ run: runId, err: err.message }, 'paper run config invalid'));
    this.liveUnits = [...live.keys()].map((id) => `${RUN_UNIT_PREFIX}${id}`);
    for (const [runId, run] of this.runs) {
      if (!live.has(runId)) {
        this.runs.delete(runId);
        await run.stop();
        logger.info({ run: runId }, 'paper run stopped');
      }
    }
    for (const [runId, row] of live) {
      if (!this.runs.has(runId) && (this.leases?.holds(`${RUN_UNIT_PREFIX}${runId}`) ?? true)) await this.openPaperRun(row);
    }
    this.backtesting ??= this.runBacktests().finally(() => (this.backtesting = undefined));
  }

  private async openPaperRun(row: RunRow): Promise<void> {
    const { settings, logger } = this.options;
    try {
      const contract = await readRunContract(this.pool, settings, row.contractId);
      const fromMs = row.fromMs ?? (await fixPaperStart(this.pool, row.runId));
      const run = new PaperRun(
        this.pool,
        {
          runId: row.runId,
          config: row.config,
          sessions: contract.sessions,
          fromMs,
          watermark: row.watermark,
          synchronousCommit: settings.trader.paper_synchronous_commit,
          markIntervalMs: settings.trader.paper_mark_interval_ms,
        },
        logger,
        (timing) => {
          this.stepSeconds.observe({ phase: 'read' }, timing.readMs / 1000);
          this.stepSeconds.observe({ phase: 'engine' }, timing.engineMs / 1000);
          this.stepSeconds.observe({ phase: 'write' }, timing.writeMs / 1000);
          this.options.onPaperStep?.(row.runId, timing);
        },
      );
      await run.open();
      this.runs.set(row.runId, run);
      logger.info({ run: row.runId, strategy: row.config.id }, 'paper run resumed');
    } catch (err) {
      logger.error({ run: row.runId, err: (err as Error).message }, 'paper run could not start; marked failed');
      await endRun(this.pool, row.runId, row.contractId, { status: 'failed', error: (err as Error).message });
    }
  }

  /** Executes created backtests one at a time (a backtest is CPU-bound: the live runs keep the other core). */
  private async runBacktests(): Promise<void> {
    const { settings, logger } = this.options;
    while (this.state === 'running') {
      const { row, bad } = await claimCreatedBacktest(this.pool);
      if (bad) {
        await endRun(this.pool, bad.runId, bad.contractId, { status: 'failed', error: bad.err.message });
        continue;
      }
      if (!row) return;
      const config = row.config;
      if (config.kind !== 'backtest') continue;
      try {
        const contract = await readRunContract(this.pool, settings, row.contractId);
        const result = await executeBacktest(this.pool, settings, { runId: row.runId, config, sessions: contract.sessions });
        logger.info({ run: row.runId, bars: result.bars, trades: result.report.trades }, 'backtest completed');
      } catch (err) {
        logger.warn({ run: row.runId, err: (err as Error).message }, 'backtest failed');
      }
    }
  }
}

/** A paper run's lease unit: this prefix and its run id. */
const RUN_UNIT_PREFIX = 'run|';

function contractOf(file: StrategyFile): string {
  return typeof file.document.contract === 'string' ? file.document.contract : '';
}

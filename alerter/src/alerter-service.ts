// The alerter: rule files into the rules table, the watchlist seeded, LISTEN for stored bars and
// signals (and rule/watchlist changes) → evaluate → store alerts with their delivery jobs → deliver.
import { resolve } from 'node:path';
import { formatTimeframe, isClosedBar, referencesOf, signalEventFromMessage, timeframeOf, type Settings } from '@barstream/core';
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
import { AlertEvaluator } from './alert-evaluator.ts';
import { closeTimesOf } from './evaluation-scope.ts';
import { createAlerterMetrics } from './alerter-metrics.ts';
import { DeliveryQueue } from './delivery-queue.ts';
import { DeliveryWorker } from './delivery-worker.ts';
import { eventId } from './fed-events.ts';
import { triggerTimeOf } from './signal-trigger.ts';
import { createSenders, type SenderRegistry } from './destinations/senders.ts';
import { readRuleFiles, syncFileRules } from './rule-sync.ts';
import { seedWatchlist } from './watchlist.ts';

export interface AlerterServiceOptions {
  readonly settings: Settings;
  readonly databaseUrl: string;
  readonly rootDir: string;
  readonly logger: Logger;
  readonly metricsPort?: number;
  readonly senders?: SenderRegistry;
}

/** The alerter's one lease: rules are evaluated in one canonical order by one instance. */
const EVALUATION_UNIT = 'evaluation';

/** A safety net beside LISTEN: a step (cheap when nothing is new) this often. */
const SWEEP_MS = 5_000;

export class AlerterService {
  readonly evaluator: AlertEvaluator;
  readonly worker: DeliveryWorker;
  private readonly pool: Pool;
  private readonly queue: DeliveryQueue;
  private readonly listener: NotificationListener;
  private readonly registry = createMetricsRegistry('alerter');
  private metricsServer: MetricsServer | undefined;
  private sweep: NodeJS.Timeout | undefined;
  private state: 'idle' | 'running' | 'stopped' = 'idle';
  /** With leases on: one instance evaluates the rules (EVALUATION_UNIT), the others stand by; every
   * instance delivers (pg-boss hands each job to one worker). */
  private readonly leases: LeaseManager | undefined;

  constructor(private readonly options: AlerterServiceOptions) {
    const { settings, logger } = options;
    const delivery = settings.alerter.delivery;
    this.pool = createPool(options.databaseUrl, {
      applicationName: 'barstream-alerter',
      logger,
      max: Math.min(20, delivery.concurrency + 4),
    });
    registerPoolMetrics(this.registry, this.pool);
    this.queue = new DeliveryQueue({
      connectionString: options.databaseUrl,
      // An attempt is over by its timeout; one still active well after that lost its worker.
      expireInSeconds: Math.ceil(delivery.attempt_timeout_ms / 1000) + 5,
      maintenanceIntervalSeconds: delivery.queue_maintenance_s,
      onError: (err) => logger.warn({ err: err.message }, 'delivery queue error'),
    });
    const metrics = createAlerterMetrics(this.registry, () => this.worker.active);
    this.worker = new DeliveryWorker({
      pool: this.pool,
      queue: this.queue,
      senders:
        options.senders ?? createSenders({}, { telegramApiUrl: delivery.telegram_api_url, smtpTimeoutMs: delivery.attempt_timeout_ms }),
      logger,
      concurrency: delivery.concurrency,
      attemptTimeoutMs: delivery.attempt_timeout_ms,
      pollIntervalMs: delivery.poll_interval_ms,
      retry: { maxAttempts: delivery.max_attempts, backoffMs: delivery.backoff_ms, backoffMaxMs: delivery.backoff_max_ms },
      publicWebUrl: settings.alerter.public_web_url,
      onOutcome: (outcome, ms) => {
        metrics.outcomes.inc({ outcome });
        // A delivery that will never reach its destination: its held retraction is cancelled by the next pass.
        if ((outcome === 'cancelled' || outcome === 'dead') && (this.leases?.holds(EVALUATION_UNIT) ?? true))
          void this.evaluator.schedule();
        if (outcome !== 'stale') metrics.attemptSeconds.observe(ms / 1000);
      },
    });
    this.evaluator = new AlertEvaluator({
      pool: this.pool,
      settings,
      queue: this.queue,
      logger,
      onStored: (result) => {
        metrics.alerts.inc(result.alerts);
        if (result.deliveries > 0) this.worker.wake();
      },
      onRetracted: (result) => {
        metrics.retracted.inc(result.alertsRetracted);
        if (result.enqueued > 0) this.worker.wake();
      },
    });
    const closeTimeOf = closeTimesOf(settings);
    /** knownAt of a notified bar or signal; a contract without settings: its open (evaluated again if behind). */
    const closeOf = (tf: string, t: number, contractId: string): number => {
      try {
        return closeTimeOf(tf, t, contractId);
      } catch {
        return t;
      }
    };
    this.leases = settings.leases.enabled
      ? new LeaseManager({
          service: 'alerter',
          databaseUrl: options.databaseUrl,
          retryMs: settings.leases.retry_ms,
          logger,
          units: () => [EVALUATION_UNIT],
          handler: {
            // Taken over: rebuilt from the stored watermark, then evaluated on from it.
            acquired: () => this.evaluator.requestReload(),
            released: () => this.evaluator.idle(),
          },
        })
      : undefined;
    this.leases?.registerMetrics(this.registry);
    const evaluates = (): boolean => this.leases?.holds(EVALUATION_UNIT) ?? true;
    this.listener = new NotificationListener({
      connectionString: options.databaseUrl,
      logger,
      channels: ['ohlcUpdate', 'signalDetected', 'signalsStored', 'barsImported', 'rulesChanged', 'watchlistChanged', 'signalsWithdrawn'],
      onReconnected: () => this.evaluator.listenerBack(evaluates()),
      onDisconnected: () => this.evaluator.listenerLost(),
      onInvalidPayload: (channel, reason) => logger.warn({ channel, reason }, 'invalid NOTIFY payload ignored'),
    })
      .on('ohlcUpdate', (m) => {
        if (!isClosedBar(m) || !evaluates()) return;
        const timeframe = formatTimeframe(timeframeOf(m.timeframe_unit, m.timeframe_value));
        const bar = { time: Date.parse(m.timestamp), open: m.open, high: m.high, low: m.low, close: m.close, volume: m.volume };
        // The values are part of the id: a closed bar rewritten with others (a repair) is evaluated again.
        this.evaluator.noteData(
          closeOf(timeframe, bar.time, m.contract_id),
          eventId({ kind: 'bar', contractId: m.contract_id, timeframe, bar }),
        );
      })
      .on('signalDetected', (m) => {
        if (!evaluates()) return;
        const event = { ...signalEventFromMessage(m), triggerTime: triggerTimeOf(m.details, m.trigger_timestamp) };
        this.evaluator.noteData(closeOf(m.timeframe, event.triggerTime, m.contract_id), eventId(event));
      })
      .on('signalsStored', (m) => evaluates() && this.evaluator.noteData(closeOf(m.timeframe, Date.parse(m.from), m.contract_id)))
      .on('barsImported', (m) => {
        if (!evaluates()) return;
        const tf = formatTimeframe(timeframeOf(m.timeframe_unit, m.timeframe_value));
        this.evaluator.noteData(closeOf(tf, Date.parse(m.from), m.contract_id));
      })
      .on('rulesChanged', () => evaluates() && this.evaluator.requestReload())
      .on('watchlistChanged', () => evaluates() && this.evaluator.requestReload())
      // Judged after the next step (once the analyzer's re-run passed the signal); the sweep looks again.
      .on('signalsWithdrawn', () => {
        if (evaluates()) void this.evaluator.schedule();
      });
  }

  async start(): Promise<void> {
    if (this.state !== 'idle') return;
    this.state = 'running';
    const { settings, logger, rootDir } = this.options;
    const files = readRuleFiles(resolve(rootDir, settings.alerter.rules_dir), settings.alerter.rules_dir, referencesOf(settings), logger);
    await syncFileRules(this.pool, files, logger);
    const seeded = await seedWatchlist(this.pool, settings.alerter.watchlist_seed);
    if (seeded.length > 0) logger.info({ contracts: seeded }, 'watchlist seeded');
    await this.queue.start();
    await this.listener.start();
    // A lone instance holds the evaluation after the first cycle; a standby waits for it.
    await this.leases?.start();
    const evaluates = (): boolean => this.leases?.holds(EVALUATION_UNIT) ?? true;
    // After LISTEN is active: whatever is stored from here on is either announced or read by this step.
    if (evaluates()) await this.evaluator.schedule();
    this.worker.start();
    this.sweep = setInterval(() => void (evaluates() && this.evaluator.schedule()), SWEEP_MS);
    this.metricsServer = await startMetricsServer({
      registry: this.registry,
      host: settings.alerter.metrics_host,
      port: this.options.metricsPort ?? settings.alerter.metrics_port,
      databaseUrl: this.options.databaseUrl,
      health: () => this.health(),
    });
    logger.info(
      { rules: files.rules.length, ruleFileProblems: files.problems.length, metricsPort: this.metricsServer.port },
      'alerter started',
    );
  }

  async stop(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopped';
    clearInterval(this.sweep);
    await this.listener.stop();
    await this.evaluator.idle();
    // After the last evaluation committed: a standby resumes from its watermark.
    await this.leases?.stop();
    await this.worker.stop();
    await this.queue.stop();
    await this.metricsServer?.close();
    await this.pool.end();
  }

  get metricsPort(): number | undefined {
    return this.metricsServer?.port;
  }

  health(): { ok: boolean; [k: string]: unknown } {
    const watermark = this.evaluator.watermark;
    return {
      ok: this.listener.connected && this.evaluator.error === undefined,
      service: 'alerter',
      listening: this.listener.connected,
      watermark: watermark === undefined ? null : new Date(watermark).toISOString(),
      evaluationError: this.evaluator.error ?? null,
      deliveriesInFlight: this.worker.active,
      ...(this.leases ? { leases: this.leases.health() } : {}),
    };
  }
}

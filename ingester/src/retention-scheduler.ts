// The ingester's retention unit: sets TimescaleDB's tick retention policy, and runs retention passes
// (retention-job.ts) at start and on retention.cron; logs and counts what each pass removed.
import { parseTimeframe, type Settings } from '@barstream/core';
import type { Logger } from '@barstream/core/node';
import cron, { type ScheduledTask } from 'node-cron';
import type { IngestMetrics } from './ingest-metrics.ts';
import { type Queryable, type RetentionPlan, runRetention } from './retention-job.ts';

export interface RetentionSchedulerOptions {
  /** The ingester's pool (anything with its `query`). */
  readonly pool: Queryable;
  readonly retention: Settings['retention'];
  readonly logger: Logger;
  readonly metrics: Pick<IngestMetrics, 'retentionRowsDeleted' | 'retentionRuns'>;
  readonly now?: () => Date;
}

/** The pass a configuration asks for; ticks are left to the policy when TimescaleDB drops their chunks. */
export function retentionPlan(retention: Settings['retention'], ticksByPolicy: boolean): RetentionPlan {
  return {
    ticksDays: ticksByPolicy ? undefined : retention.ticks_days,
    bars: Object.entries(retention.bars).map(([label, days]) => ({ label, timeframe: parseTimeframe(label), days })),
    batchRows: retention.batch_rows,
  };
}

export class RetentionScheduler {
  private task: ScheduledTask | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;
  private plan: RetentionPlan | undefined;

  constructor(private readonly options: RetentionSchedulerOptions) {}

  /** Sets (or removes) the TimescaleDB policy, starts a first pass in the background and schedules the rest. */
  async start(): Promise<void> {
    const { pool, retention, logger } = this.options;
    const { rows } = await pool.query("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') AS ts");
    const timescaledb = (rows[0] as { ts: boolean } | undefined)?.ts === true;
    if (timescaledb) {
      // Settings are the truth: an unset ticks_days removes a policy an earlier configuration added.
      await pool.query('SELECT barstream_set_ticks_retention($1::int)', [retention.ticks_days ?? null]);
      logger.info(
        { ticksDays: retention.ticks_days ?? null },
        retention.ticks_days === undefined ? 'retention: no TimescaleDB policy on ticks' : 'retention: TimescaleDB policy on ticks set',
      );
    }
    const plan = retentionPlan(retention, timescaledb);
    if (plan.ticksDays === undefined && plan.bars.length === 0) return;
    this.plan = plan;
    this.runNow();
    this.task = cron.schedule(retention.cron, () => this.runNow(), { name: 'ingester-retention' });
  }

  /** Starts a pass unless one is running (a slow pass is never doubled). */
  runNow(): void {
    if (!this.plan || this.stopping) return;
    if (this.running) {
      this.options.metrics.retentionRuns.inc({ outcome: 'skipped' });
      return;
    }
    this.running = this.pass(this.plan).finally(() => (this.running = undefined));
  }

  /** Resolves when no pass is running (tests; stop). */
  async idle(): Promise<void> {
    await this.running;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.task?.stop();
    await this.running;
  }

  private async pass(plan: RetentionPlan): Promise<void> {
    const { pool, logger, metrics } = this.options;
    const now = this.options.now?.() ?? new Date();
    try {
      const report = await runRetention(pool, plan, now, {
        stopped: () => this.stopping,
        onDeleted: (table, timeframe, rows) => metrics.retentionRowsDeleted.inc({ table, timeframe }, rows),
      });
      metrics.retentionRuns.inc({ outcome: 'ok' });
      logger.info(
        { ticksDeleted: report.ticks, barsDeleted: report.bars, statements: report.statements, ticksDays: plan.ticksDays ?? null },
        'retention pass done',
      );
    } catch (err) {
      // A failed pass is retried by the next one; the service keeps ingesting.
      metrics.retentionRuns.inc({ outcome: 'failed' });
      logger.error({ err }, 'retention pass failed');
    }
  }
}

// A parameter sweep: a backtest_sweeps row, one backtest run per combination (the strategy's signals
// computed with its parameters), spread over worker threads (one per core), results ranked.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Settings } from '@barstream/core';
import type { Pool } from '@barstream/core/node';
import type { StrategyRunConfig } from '@barstream/core/trading';
import type { ReportJson } from './report-json.ts';
import { insertRun } from './run-store.ts';
import { combinations, type SweepGrid, type SweepParams } from './sweep-grid.ts';
import type { SweepJob, SweepWorkerData, SweepWorkerMessage } from './sweep-worker.ts';

/** Module hooks (tsx) are per thread and Node 20 resolves a worker's entry before any --import: the
 * worker registers tsx itself, then loads the TypeScript entry. */
const WORKER_BOOT = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(
  new URL('./sweep-worker.ts', import.meta.url).href,
)}); })`;

export interface SweepResult {
  readonly runId: number;
  readonly params: SweepParams;
  readonly report?: ReportJson;
  readonly error?: string;
}

export async function runSweep(
  pool: Pool,
  options: {
    databaseUrl: string;
    settings: Settings;
    strategyId: string | null;
    config: Extract<StrategyRunConfig, { kind: 'backtest' }>;
    grid: SweepGrid;
    workers?: number;
    onResult?: (done: number, total: number) => void;
  },
): Promise<{ sweepId: number; results: SweepResult[] }> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO backtest_sweeps (strategy_id, grid) VALUES ((SELECT strategy_id FROM strategies WHERE strategy_id = $1), $2) RETURNING sweep_id::text AS id`,
    [options.strategyId, JSON.stringify(options.grid)],
  );
  const sweepId = Number(rows[0]?.id);
  const jobs: SweepJob[] = [];
  for (const params of combinations(options.grid)) {
    const runId = await insertRun(pool, { strategyId: options.strategyId, config: options.config, status: 'running', sweepId, params });
    jobs.push({ runId, params });
  }
  const results = new Map<number, SweepResult>();
  const count = Math.max(1, Math.min(options.workers ?? availableParallelism(), jobs.length));
  const data: SweepWorkerData = { databaseUrl: options.databaseUrl, settings: options.settings, config: options.config };
  const queue = [...jobs];
  try {
    await runWorkers(count, data, queue, jobs, results, options.onResult);
  } catch (err) {
    // A worker that could not start leaves its runs unfinished: they and the sweep end failed.
    await pool.query(
      `UPDATE strategy_runs SET status = 'failed', error = $2, ended_at = now(), updated_at = now() WHERE sweep_id = $1 AND status = 'running'`,
      [sweepId, (err as Error).message],
    );
    await pool.query(`UPDATE backtest_sweeps SET status = 'failed', ended_at = now() WHERE sweep_id = $1`, [sweepId]);
    throw err;
  }
  const failed = [...results.values()].some((r) => r.error !== undefined);
  await pool.query(`UPDATE backtest_sweeps SET status = $2, ended_at = now() WHERE sweep_id = $1`, [
    sweepId,
    failed ? 'failed' : 'completed',
  ]);
  const ranked = [...results.values()].sort(
    (a, b) => Number(b.report?.netProfit ?? -Infinity) - Number(a.report?.netProfit ?? -Infinity) || a.runId - b.runId,
  );
  return { sweepId, results: ranked };
}

function runWorkers(
  count: number,
  data: SweepWorkerData,
  queue: SweepJob[],
  jobs: readonly SweepJob[],
  results: Map<number, SweepResult>,
  onResult: ((done: number, total: number) => void) | undefined,
): Promise<unknown> {
  return Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(WORKER_BOOT, { eval: true, workerData: data });
          const next = (): void => worker.postMessage(queue.shift() ?? null);
          worker.on('message', (m: SweepWorkerMessage | 'ready') => {
            if (m !== 'ready') {
              const job = jobs.find((j) => j.runId === m.runId) as SweepJob;
              results.set(
                m.runId,
                m.ok
                  ? { runId: m.runId, params: job.params, report: m.report as ReportJson }
                  : { runId: m.runId, params: job.params, error: m.error },
              );
              onResult?.(results.size, jobs.length);
            }
            next();
          });
          worker.on('error', reject);
          worker.on('exit', () => resolve());
        }),
    ),
  );
}

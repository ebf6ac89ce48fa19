// A parameter sweep: a backtest_sweeps row, one backtest run per combination (the strategy's signals
// computed with its parameters), spread over worker threads (one per core), results ranked.
//
// Where the time goes, and so the shape: the parent reads the bars once and shares them with the
// workers (shared-bars.ts); workers only compute (signals, engine, report: sweep-job.ts); the parent
// stores finished runs in batches while the workers go on (sweep-result-writer.ts), and computes runs
// itself in between: one thread per core is the parent plus a worker per other core (a worker's start,
// loading every module again, costs as much as a dozen runs). Workers start first: loading their modules
// overlaps the read.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Settings } from '@barstream/core';
import type { Pool } from '@barstream/core/node';
import { type StrategyRunConfig, TradingError } from '@barstream/core/trading';
import { readBacktestBars } from './backtest-run.ts';
import type { ReportJson } from './report-json.ts';
import { readRunContract } from './run-contract.ts';
import { readClosedBars, readTicks } from './run-inputs.ts';
import { barKey, runSeries } from './run-series.ts';
import { insertSweepRuns } from './run-store.ts';
import { packBars } from './shared-bars.ts';
import { combinations, type SweepGrid, type SweepParams } from './sweep-grid.ts';
import type { SweepOutcome } from './sweep-outcome.ts';
import { SweepResultWriter } from './sweep-result-writer.ts';
import { SweepComputer, type SweepInputs, type SweepJob } from './sweep-job.ts';
import type { SweepWorkerData } from './sweep-worker.ts';

/** Module hooks (tsx) are per thread and Node 20 resolves a worker's entry before any --import: the
 * worker registers tsx itself, then loads the TypeScript entry. */
const WORKER_BOOT = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(
  new URL('./sweep-worker.ts', import.meta.url).href,
)}); })`;

/** A bound just below `from` for readTicks' exclusive lower bound (ticks carry microseconds). */
const TICK_EPSILON_MS = 0.001;

export interface SweepResult {
  readonly runId: number;
  readonly params: SweepParams;
  readonly report?: ReportJson;
  readonly error?: string;
}

export async function runSweep(
  pool: Pool,
  options: {
    /** Unused since the workers stopped querying (kept for callers). */
    databaseUrl?: string;
    settings: Settings;
    strategyId: string | null;
    config: Extract<StrategyRunConfig, { kind: 'backtest' }>;
    grid: SweepGrid;
    workers?: number;
    onResult?: (done: number, total: number) => void;
  },
): Promise<{ sweepId: number; results: SweepResult[] }> {
  const { config, settings } = options;
  if (!config.signals.strategy) {
    throw new TradingError('no_signals', 'signals.strategy: a sweep computes the signals with the strategy, and the run names none');
  }
  const all = combinations(options.grid);
  // Computing threads: the parent and count - 1 workers.
  const count = Math.max(1, Math.min(options.workers ?? availableParallelism(), all.length));
  const threads = Array.from({ length: count - 1 }, () => startWorker({ settings, config }));
  try {
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO backtest_sweeps (strategy_id, grid) VALUES ((SELECT strategy_id FROM strategies WHERE strategy_id = $1), $2) RETURNING sweep_id::text AS id`,
      [options.strategyId, JSON.stringify(options.grid)],
    );
    const sweepId = Number(rows[0]?.id);
    const runIds = await insertSweepRuns(pool, { strategyId: options.strategyId, config, sweepId }, all);
    const jobs: SweepJob[] = all.map((params, i) => ({ runId: runIds[i] as number, params }));
    const writer = new SweepResultWriter(pool, config.contract);
    try {
      const inputs = await sweepInputs(pool, settings, config);
      const results = await runJobs(threads, new SweepComputer(settings, config, inputs), inputs, jobs, writer, options.onResult);
      await writer.flush();
      const failed = results.some((r) => r.error !== undefined);
      await pool.query(`UPDATE backtest_sweeps SET status = $2, ended_at = now() WHERE sweep_id = $1`, [
        sweepId,
        failed ? 'failed' : 'completed',
      ]);
      const ranked = results.sort(
        (a, b) => Number(b.report?.netProfit ?? -Infinity) - Number(a.report?.netProfit ?? -Infinity) || a.runId - b.runId,
      );
      return { sweepId, results: ranked };
    } catch (err) {
      // A worker that failed, or inputs that could not be read, leave runs unfinished: they and the sweep end failed.
      await writer.flush().catch(() => undefined);
      await pool.query(
        `UPDATE strategy_runs SET status = 'failed', error = $2, ended_at = now(), updated_at = now() WHERE sweep_id = $1 AND status = 'running'`,
        [sweepId, (err as Error).message],
      );
      await pool.query(`UPDATE backtest_sweeps SET status = 'failed', ended_at = now() WHERE sweep_id = $1`, [sweepId]);
      throw err;
    }
  } finally {
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }
}

/** What every run of the sweep shares: read once here, sent to each worker once. */
async function sweepInputs(pool: Pool, settings: Settings, config: Extract<StrategyRunConfig, { kind: 'backtest' }>): Promise<SweepInputs> {
  const series = runSeries(config);
  const from = Date.parse(config.from);
  const [bars, warmup, contract] = await Promise.all([
    readBacktestBars(pool, config),
    readClosedBars(pool, series, undefined, from - 1),
    readRunContract(pool, settings, config.contract),
  ]);
  const last = bars[bars.length - 1];
  const ticks = series.ticks && last ? await readTicks(pool, series, from - TICK_EPSILON_MS, barKey(series, last.time)) : [];
  return { kind: 'inputs', bars: packBars(bars), warmup: packBars(warmup), ticks, calendarName: contract.calendarName };
}

interface SweepThread {
  readonly worker: Worker;
  /** Resolves with the worker's messages one at a time (the first is 'ready'). */
  next(): Promise<SweepOutcome | 'ready'>;
}

function startWorker(data: SweepWorkerData): SweepThread {
  const worker = new Worker(WORKER_BOOT, { eval: true, workerData: data });
  const queued: (SweepOutcome | 'ready')[] = [];
  let waiting: { resolve: (m: SweepOutcome | 'ready') => void; reject: (e: Error) => void } | undefined;
  let failure: Error | undefined;
  const fail = (err: Error): void => {
    failure ??= err;
    waiting?.reject(failure);
    waiting = undefined;
  };
  worker.on('message', (m: SweepOutcome | 'ready') => {
    if (waiting) {
      waiting.resolve(m);
      waiting = undefined;
    } else queued.push(m);
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`sweep worker exited (code ${code}) before its jobs were done`)));
  return {
    worker,
    next: () => {
      const m = queued.shift();
      if (m !== undefined) return Promise.resolve(m);
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => (waiting = { resolve, reject }));
    },
  };
}

/** Hands the jobs out one at a time to whichever thread is free (the parent too), queues each outcome for
 * the writer. */
async function runJobs(
  threads: readonly SweepThread[],
  local: SweepComputer,
  inputs: SweepInputs,
  jobs: readonly SweepJob[],
  writer: SweepResultWriter,
  onResult: ((done: number, total: number) => void) | undefined,
): Promise<SweepResult[]> {
  const queue = [...jobs];
  const byRun = new Map(jobs.map((j) => [j.runId, j]));
  const results: SweepResult[] = [];
  const done = (m: SweepOutcome): void => {
    writer.add(m);
    const params = byRun.get(m.runId)?.params ?? {};
    results.push(m.report ? { runId: m.runId, params, report: m.report } : { runId: m.runId, params, error: m.error ?? 'failed' });
    onResult?.(results.length, jobs.length);
  };
  const workers = threads.map(async (thread) => {
    if ((await thread.next()) !== 'ready') throw new Error('sweep worker: expected ready first');
    thread.worker.postMessage(inputs);
    for (let job = queue.shift(); job; job = queue.shift()) {
      thread.worker.postMessage(job);
      const m = await thread.next();
      if (m === 'ready') throw new Error('sweep worker: ready twice');
      done(m);
    }
  });
  const parent = (async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      // Between runs the event loop serves the workers' messages and the writer's round trips.
      await new Promise(setImmediate);
      done(local.run(job));
    }
  })();
  await Promise.all([...workers, parent]);
  return results;
}

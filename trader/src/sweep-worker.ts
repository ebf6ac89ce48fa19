// A sweep worker thread: runs the backtests it is sent (one run row each, created by the parent) against
// the database and posts each result back. The bars are read once per worker and shared by its runs.
import { parentPort, workerData } from 'node:worker_threads';
import type { OhlcBar, Settings } from '@barstream/core';
import { createPool } from '@barstream/core/node';
import type { StrategyRunConfig } from '@barstream/core/trading';
import { executeBacktest, readBacktestBars } from './backtest-run.ts';
import { readRunContract } from './run-contract.ts';

export interface SweepJob {
  readonly runId: number;
  readonly params: Record<string, number>;
}
export interface SweepWorkerData {
  readonly databaseUrl: string;
  readonly settings: Settings;
  readonly config: Extract<StrategyRunConfig, { kind: 'backtest' }>;
}
export type SweepWorkerMessage = { runId: number; ok: true; report: unknown } | { runId: number; ok: false; error: string };

const data = workerData as SweepWorkerData;
const pool = createPool(data.databaseUrl, { max: 2, applicationName: 'barstream-backtest-sweep' });
const contract = await readRunContract(pool, data.settings, data.config.contract);
let bars: OhlcBar[] | undefined;

parentPort?.on('message', (job: SweepJob | null) => {
  if (job === null) {
    void pool.end().then(() => process.exit(0));
    return;
  }
  void (async () => {
    try {
      bars ??= await readBacktestBars(pool, data.config);
      const config = { ...data.config };
      const result = await executeBacktest(pool, data.settings, {
        runId: job.runId,
        config,
        sessions: contract.sessions,
        params: job.params,
        bars,
        summaryOnly: true,
      });
      parentPort?.postMessage({ runId: job.runId, ok: true, report: result.report } satisfies SweepWorkerMessage);
    } catch (err) {
      parentPort?.postMessage({ runId: job.runId, ok: false, error: (err as Error).message } satisfies SweepWorkerMessage);
    }
  })();
});
parentPort?.postMessage('ready');

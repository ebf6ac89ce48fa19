// A sweep worker thread: pure computation. It gets the inputs the parent read (the bars in shared
// memory, once), then runs each job it is sent (sweep-job.ts) and posts back the outcome; the parent
// stores them in batches.
import { parentPort, workerData } from 'node:worker_threads';
import type { Settings } from '@barstream/core';
import type { StrategyRunConfig } from '@barstream/core/trading';
import { SweepComputer, type SweepInputs, type SweepJob } from './sweep-job.ts';
import type { SweepOutcome } from './sweep-outcome.ts';

export interface SweepWorkerData {
  readonly settings: Settings;
  readonly config: Extract<StrategyRunConfig, { kind: 'backtest' }>;
}
export type SweepWorkerMessage = SweepOutcome;

const data = workerData as SweepWorkerData;
let computer: SweepComputer | undefined;

parentPort?.on('message', (m: SweepInputs | SweepJob | null) => {
  if (m === null) process.exit(0);
  else if ('kind' in m) computer = new SweepComputer(data.settings, data.config, m);
  else {
    const outcome = computer ? computer.run(m) : { runId: m.runId, error: 'sweep worker: a job arrived before the inputs' };
    parentPort?.postMessage(outcome satisfies SweepWorkerMessage);
  }
});
parentPort?.postMessage('ready');

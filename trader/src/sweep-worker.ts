// A sweep worker thread: pure computation. It gets the bars the parent read (shared memory, once), then
// runs each job it is sent — the strategy's signals computed with the job's parameters, the engine over
// them — and posts back the report and the round trips as COPY text; the parent stores them in batches.
import { parentPort, workerData } from 'node:worker_threads';
import { calendarSpecFor, type OhlcBar, SessionCalendar, type Settings } from '@barstream/core';
import type { StrategyRunConfig } from '@barstream/core/trading';
import { barInputs, type BarInputs, simulateSummary } from './backtest-summary.ts';
import { analyzerParams, computeSignals } from './computed-signals.ts';
import type { RunTick } from './run-inputs.ts';
import { runSeries } from './run-series.ts';
import { unpackBars } from './shared-bars.ts';
import { type SweepOutcome, tradeCopyLines } from './sweep-outcome.ts';

export interface SweepJob {
  readonly runId: number;
  readonly params: Record<string, number>;
}
export interface SweepWorkerData {
  readonly settings: Settings;
  readonly config: Extract<StrategyRunConfig, { kind: 'backtest' }>;
}
/** What every job of the sweep shares, sent once before the first job. */
export interface SweepInputs {
  readonly kind: 'inputs';
  /** The range's closed bars (shared-bars.ts). */
  readonly bars: SharedArrayBuffer;
  /** Every stored bar before the range: the strategy warms up on them, as the analyzer's did. */
  readonly warmup: SharedArrayBuffer;
  readonly ticks: readonly RunTick[];
  /** The contract's session calendar (settings.yaml session_calendars). */
  readonly calendarName: string;
}
export type SweepWorkerMessage = SweepOutcome;

const data = workerData as SweepWorkerData;
const series = runSeries(data.config);
const from = Date.parse(data.config.from);
const baseParams = analyzerParams(data.settings, series);
let inputs: { bars: BarInputs; all: OhlcBar[]; ticks: readonly RunTick[]; sessions: SessionCalendar } | undefined;

function run(job: SweepJob): SweepOutcome {
  if (!inputs) throw new Error('sweep worker: a job arrived before the inputs');
  const strategy = data.config.signals.strategy;
  if (!strategy) throw new Error('signals.strategy: a sweep computes the signals with the strategy, and the run names none');
  const signals = computeSignals(strategy, { ...baseParams, ...job.params }, inputs.all, series, from);
  const s = simulateSummary(job.runId, data.config, inputs.sessions, series, inputs.bars, signals, inputs.ticks);
  return {
    runId: job.runId,
    report: s.report,
    tradeLines: tradeCopyLines(job.runId, s.trades),
    trades: s.trades.length,
    ...(s.through === undefined ? {} : { through: s.through }),
    ...(s.halt ? { halt: { reason: s.halt.reason, detail: s.halt.detail } } : {}),
  };
}

parentPort?.on('message', (m: SweepInputs | SweepJob | null) => {
  if (m === null) {
    process.exit(0);
  } else if ('kind' in m) {
    const spec = calendarSpecFor(data.settings, m.calendarName);
    if (!spec) throw new Error(`sweep worker: unknown session calendar ${m.calendarName}`);
    const bars = unpackBars(m.bars);
    inputs = { bars: barInputs(bars), all: [...unpackBars(m.warmup), ...bars], ticks: m.ticks, sessions: new SessionCalendar(spec) };
  } else {
    let outcome: SweepOutcome;
    try {
      outcome = run(m);
    } catch (err) {
      outcome = { runId: m.runId, error: (err as Error).message };
    }
    parentPort?.postMessage(outcome satisfies SweepWorkerMessage);
  }
});
parentPort?.postMessage('ready');

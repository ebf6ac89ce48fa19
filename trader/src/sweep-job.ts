// One sweep run computed from the inputs every run of the sweep shares: the strategy's signals with the
// run's parameters, the engine, the report and the round trips as COPY text. No I/O: it runs in the
// sweep's worker threads and in the parent thread beside them.
import { calendarSpecFor, type OhlcBar, SessionCalendar, type Settings } from '@barstream/core';
import type { StrategyRunConfig } from '@barstream/core/trading';
import { barInputs, type BarInputs, simulateSummary } from './backtest-summary.ts';
import { analyzerParams, computeSignals } from './computed-signals.ts';
import type { RunTick } from './run-inputs.ts';
import { type RunSeries, runSeries } from './run-series.ts';
import { unpackBars } from './shared-bars.ts';
import { type SweepOutcome, tradeCopyLines } from './sweep-outcome.ts';

export interface SweepJob {
  readonly runId: number;
  readonly params: Record<string, number>;
}

/** What every job of the sweep shares, sent once to each worker before its first job. */
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

export class SweepComputer {
  private readonly series: RunSeries;
  private readonly from: number;
  private readonly bars: BarInputs;
  private readonly all: OhlcBar[];
  private readonly sessions: SessionCalendar;

  constructor(
    private readonly settings: Settings,
    private readonly config: Extract<StrategyRunConfig, { kind: 'backtest' }>,
    private readonly inputs: SweepInputs,
  ) {
    const spec = calendarSpecFor(settings, inputs.calendarName);
    if (!spec) throw new Error(`sweep: unknown session calendar ${inputs.calendarName}`);
    this.sessions = new SessionCalendar(spec);
    this.series = runSeries(config);
    this.from = Date.parse(config.from);
    const bars = unpackBars(inputs.bars);
    this.bars = barInputs(bars);
    this.all = [...unpackBars(inputs.warmup), ...bars];
  }

  /** The run's outcome; an error (a parameter the strategy rejects) becomes a failed outcome. */
  run(job: SweepJob): SweepOutcome {
    try {
      const strategy = this.config.signals.strategy;
      if (!strategy) throw new Error('signals.strategy: a sweep computes the signals with the strategy, and the run names none');
      const params = { ...analyzerParams(this.settings, this.series), ...job.params };
      const signals = computeSignals(strategy, params, this.all, this.series, this.from);
      const s = simulateSummary(job.runId, this.config, this.sessions, this.series, this.bars, signals, this.inputs.ticks);
      return {
        runId: job.runId,
        report: s.report,
        tradeLines: tradeCopyLines(job.runId, s.trades),
        trades: s.trades.length,
        ...(s.through === undefined ? {} : { through: s.through }),
        ...(s.halt ? { halt: { reason: s.halt.reason, detail: s.halt.detail } } : {}),
      };
    } catch (err) {
      return { runId: job.runId, error: (err as Error).message };
    }
  }
}

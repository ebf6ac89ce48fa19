// A backtest run with nothing stored on the way: the engine over the bars and signals in the run's input
// order, keeping what a sweep's run stores (its round trips, a halt, the metrics report). No I/O: it runs
// in a sweep's worker threads.
import type { OhlcBar } from '@barstream/core';
import {
  type EngineEvent,
  metricsReport,
  type SessionBoundaries,
  type StrategyRunConfig,
  toMoney,
  TradingEngine,
} from '@barstream/core/trading';
import { type ReportJson, reportJson } from './report-json.ts';
import { mergeInputs, type RunSignal, type RunTick } from './run-inputs.ts';
import type { RunSeries } from './run-series.ts';

export type TradeEvent = Extract<EngineEvent, { type: 'trade' }>;
export type HaltEvent = Extract<EngineEvent, { type: 'halt' }>;

export interface BacktestSummary {
  readonly report: ReportJson;
  readonly trades: readonly TradeEvent[];
  /** The first halt, if a risk limit stopped the run. */
  readonly halt: HaltEvent | undefined;
  /** The key of the last input (strategy_runs.watermark), undefined with no inputs. */
  readonly through: number | undefined;
}

/** The metrics report of a run's equity points and round trips (the CLI, the API and the web show it). */
export function backtestReport(events: readonly EngineEvent[], config: StrategyRunConfig, sessions: SessionBoundaries): ReportJson {
  return reportJson(
    metricsReport(events, {
      startingCapital: toMoney(config.starting_capital, 'starting_capital'),
      sessions,
      periodsPerYear: config.instrument.kind === 'crypto' ? 365 : 252,
    }),
  );
}

export function simulateSummary(
  runId: number,
  config: StrategyRunConfig,
  sessions: SessionBoundaries,
  series: RunSeries,
  bars: readonly OhlcBar[],
  signals: readonly RunSignal[],
  ticks: readonly RunTick[] = [],
): BacktestSummary {
  const kept: EngineEvent[] = []; // equity points and round trips: what the report reads
  const trades: TradeEvent[] = [];
  let halt: HaltEvent | undefined;
  const engine = new TradingEngine(config, {
    runId: `r${runId}`,
    sessions,
    emit: (e) => {
      if (e.type === 'equity') kept.push(e);
      else if (e.type === 'trade') {
        kept.push(e);
        trades.push(e);
      } else if (e.type === 'halt') halt ??= e;
    },
  });
  let through: number | undefined;
  for (const { key, input } of mergeInputs(series, bars, signals, [], ticks)) {
    engine.apply(input);
    through = key;
  }
  return { report: backtestReport(kept, config, sessions), trades, halt, through };
}

// A backtest run with nothing stored on the way: the engine over the bars and signals in the run's input
// order, keeping what a sweep's run stores (its round trips, a halt, the metrics report). No I/O: it runs
// in a sweep's worker threads.
import type { OhlcBar } from '@barstream/core';
import {
  type EngineEvent,
  type EngineInput,
  MetricsAccumulator,
  type SessionBoundaries,
  type StrategyRunConfig,
  toMoney,
  TradingEngine,
} from '@barstream/core/trading';
import { type ReportJson, reportJson } from './report-json.ts';
import { mergeInputs, type RunSignal, type RunTick } from './run-inputs.ts';
import { barKey, type RunSeries, signalKey } from './run-series.ts';

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

/** The metrics report of a run, folded as its engine emits (`add` each record, `report()` at the end). */
export function backtestMetrics(config: StrategyRunConfig, sessions: SessionBoundaries): MetricsAccumulator {
  return new MetricsAccumulator({
    startingCapital: toMoney(config.starting_capital, 'starting_capital'),
    sessions,
    periodsPerYear: config.instrument.kind === 'crypto' ? 365 : 252,
  });
}

/** The metrics report of a run's equity points and round trips (the CLI, the API and the web show it). */
export function backtestReport(events: readonly EngineEvent[], config: StrategyRunConfig, sessions: SessionBoundaries): ReportJson {
  const metrics = backtestMetrics(config, sessions);
  for (const e of events) metrics.add(e);
  return reportJson(metrics.report());
}

/** Bars as engine inputs, built once and shared by every run of a sweep (the engine only reads them). */
export type BarInputs = readonly Extract<EngineInput, { kind: 'bar' }>[];

export function barInputs(bars: readonly OhlcBar[]): BarInputs {
  return bars.map((bar) => ({ kind: 'bar', bar }));
}

export function simulateSummary(
  runId: number,
  config: StrategyRunConfig,
  sessions: SessionBoundaries,
  series: RunSeries,
  bars: BarInputs,
  signals: readonly RunSignal[],
  ticks: readonly RunTick[] = [],
): BacktestSummary {
  const metrics = backtestMetrics(config, sessions);
  const trades: TradeEvent[] = [];
  let halt: HaltEvent | undefined;
  const engine = new TradingEngine(config, {
    runId: `r${runId}`,
    sessions,
    // The report copies each point's numbers as it comes.
    reuseEquityPoints: true,
    emit: (e) => {
      metrics.add(e);
      if (e.type === 'trade') trades.push(e);
      else if (e.type === 'halt') halt ??= e;
    },
  });
  let through: number | undefined;
  if (ticks.length > 0) {
    for (const { key, input } of mergeInputs(
      series,
      bars.map((b) => b.bar),
      signals,
      [],
      ticks,
    )) {
      engine.apply(input);
      through = key;
    }
  } else {
    // mergeInputs' order without its per-input objects (a sweep feeds ten million bars): the signals
    // keyed before a bar, then the bar (a bar goes first at an equal key).
    let s = 0;
    const signal = (sig: RunSignal): void => {
      through = barKey(series, sig.trigger);
      engine.apply({ kind: 'signal', key: signalKey(sig.time, sig.type), type: sig.type, time: through, price: sig.price });
    };
    for (const input of bars) {
      const key = barKey(series, input.bar.time);
      for (let sig = signals[s]; sig !== undefined && barKey(series, sig.trigger) < key; sig = signals[++s]) signal(sig);
      engine.apply(input);
      through = key;
    }
    for (; s < signals.length; s++) signal(signals[s] as RunSignal);
  }
  return { report: reportJson(metrics.report()), trades, halt, through };
}

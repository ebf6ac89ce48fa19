// The series a run trades (contract, timeframe, the analyzer whose signals drive it) and the input clock
// both paths share: every input has a key (epoch ms) and inputs are fed in (key, rank) order — the trades
// inside a bar (tick fill model), the closed bar, then the signals its close triggered, then the commands
// applied after it.
import { fixedLengthMs, formatTimeframe, parseTimeframe, type Timeframe } from '@barstream/core';
import type { StrategyRunConfig } from '@barstream/core/trading';

const DAY_MS = 86_400_000;

export interface RunSeries {
  readonly contractId: string;
  readonly timeframe: Timeframe;
  /** As in detected_signals.timeframe / ohlc_bars.timeframe ('5m'). */
  readonly timeframeLabel: string;
  readonly analyzerId: string;
  /** The signal types the run maps (others are not read). */
  readonly signalTypes: readonly string[];
  /** A bar's length: its key is its start + stepMs − 1 (just before the next bar opens). Day and longer
   * bars use a day: the key only has to fall after the bar and before the next one. */
  readonly stepMs: number;
  /** The `tick` fill model: the contract's stored trades are inputs too. */
  readonly ticks: boolean;
}

export function runSeries(config: StrategyRunConfig): RunSeries {
  const timeframe = parseTimeframe(config.timeframe, 'timeframe');
  return {
    contractId: config.contract,
    timeframe,
    timeframeLabel: formatTimeframe(timeframe),
    analyzerId: config.signals.analyzer_id,
    signalTypes: Object.keys(config.signals.map),
    stepMs: fixedLengthMs(timeframe) ?? DAY_MS,
    ticks: config.fill_model.type === 'tick',
  };
}

/** The input key of a bar starting at `barTime` (and of the signals its close triggered). */
export function barKey(series: RunSeries, barTime: number): number {
  return barTime + series.stepMs - 1;
}

/** A signal's key, the same whether it was read from detected_signals or computed by a backtest:
 * `<bar time ms>.<type>` (detected_signals is unique on analyzer, contract, timeframe, time, type). */
export function signalKey(barTime: number, type: string): string {
  return `${barTime}.${type}`;
}

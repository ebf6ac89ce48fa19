// Signals a backtest computes from the stored bars with the analyzer's own strategy code, when the
// analyzer has not stored them (right after `npm run import`) or a sweep varies the strategy's parameters.
import { type OhlcBar, type Settings, strategyById, type StrategyParams } from '@barstream/core';
import { TradingError } from '@barstream/core/trading';
import type { RunSignal } from './run-inputs.ts';
import type { RunSeries } from './run-series.ts';

/** The parameters the analyzer runs `analyzerId` with on the contract (settings.yaml analyzer.targets), or none. */
export function analyzerParams(settings: Settings, series: RunSeries): StrategyParams {
  const targets = settings.analyzer.targets.filter((t) => t.analyzer_id === series.analyzerId);
  const exact = targets.find((t) => t.contract_id === series.contractId && t.timeframes.includes(series.timeframeLabel));
  return (exact ?? targets[0])?.params ?? {};
}

/** The mapped signals `strategyId` gives over `bars` (every bar fed, in order), in trigger order; only
 * those triggered by bars from `fromMs` on are kept (earlier bars warm the strategy up). */
export function computeSignals(
  strategyId: string,
  params: StrategyParams,
  bars: readonly OhlcBar[],
  series: RunSeries,
  fromMs = -Infinity,
): RunSignal[] {
  let strategy;
  try {
    strategy = strategyById(strategyId).create(params);
  } catch (err) {
    throw new TradingError('invalid_run_config', `signals.strategy: ${(err as Error).message}`);
  }
  const wanted = new Set(series.signalTypes);
  const out: RunSignal[] = [];
  // detected_signals keeps one signal per bar and type (the first trigger's): so does this.
  const seen = new Set<string>();
  for (const bar of bars) {
    const signals = strategy.update(bar);
    if (signals.length === 0 || bar.time < fromMs) continue;
    const batch: RunSignal[] = [];
    for (const s of signals) {
      const id = `${s.bar.time}.${s.type}`;
      if (!wanted.has(s.type) || seen.has(id)) continue;
      seen.add(id);
      batch.push({ time: s.bar.time, trigger: bar.time, type: s.type, price: Number.isFinite(s.price) ? s.price : null });
    }
    batch.sort((a, b) => a.time - b.time || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
    out.push(...batch);
  }
  return out;
}

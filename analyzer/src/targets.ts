// Analysis targets from config: one (analyzer, strategy, contract, timeframe) unit per runner.
import { formatTimeframe, parseTimeframe, type Settings, type StrategyParams, type Timeframe } from '@barstream/core';

export interface AnalysisUnit {
  readonly analyzerId: string;
  readonly strategyId: string;
  readonly contractId: string;
  readonly timeframe: Timeframe;
  /** Readable form stored in detected_signals.timeframe and analyzer_watermarks.timeframe. */
  readonly timeframeLabel: string;
  readonly params: StrategyParams;
  /** One string identity: analyzer|contract|timeframe. */
  readonly key: string;
}

export function analysisUnits(settings: Settings): AnalysisUnit[] {
  const units = new Map<string, AnalysisUnit>();
  for (const target of settings.analyzer.targets) {
    for (const tfText of target.timeframes) {
      const timeframe = parseTimeframe(tfText);
      const timeframeLabel = formatTimeframe(timeframe);
      const key = unitKey(target.analyzer_id, target.contract_id, timeframeLabel);
      units.set(key, {
        analyzerId: target.analyzer_id,
        strategyId: target.strategy,
        contractId: target.contract_id,
        timeframe,
        timeframeLabel,
        params: target.params,
        key,
      });
    }
  }
  return [...units.values()];
}

export function unitKey(analyzerId: string, contractId: string, timeframeLabel: string): string {
  return `${analyzerId}|${contractId}|${timeframeLabel}`;
}

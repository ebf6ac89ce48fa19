// The timeframe a chart opens on when the URL names none: the finest stored timeframe the trend
// finder analyses for the contract, so the first view shows trend-start markers; without such a
// target, the first stored one.
import { compareTimeframes, parseTimeframe, type Settings } from '@barstream/core';
import { DEFAULT_TREND_ANALYZER } from './api/defaults.ts';

export function defaultTimeframe(settings: Pick<Settings, 'ingester' | 'analyzer'>, contractId: string): string {
  const stored = settings.ingester.timeframes;
  const analysed = new Set(
    settings.analyzer.targets
      .filter((t) => t.analyzer_id === DEFAULT_TREND_ANALYZER && t.contract_id === contractId)
      .flatMap((t) => t.timeframes),
  );
  const candidates = stored.filter((tf) => analysed.has(tf)).sort((a, b) => compareTimeframes(parseTimeframe(a), parseTimeframe(b)));
  return candidates[0] ?? stored[0] ?? '1m';
}

// What the rules read for the watched contracts: the bar series (contract, intraday timeframe) and the
// analyzer targets whose signals must be stored before an instant is evaluated.
import { fixedLengthMs, parseTimeframe, type AlertRule, type Settings } from '@barstream/core';

export interface ScopeSeries {
  readonly contractId: string;
  readonly timeframe: string;
  readonly lengthMs: number;
}

export interface ScopeTarget {
  readonly analyzerId: string;
  readonly contractId: string;
  readonly timeframe: string;
  readonly lengthMs: number;
}

export interface EvaluationScope {
  readonly contracts: readonly string[];
  readonly timeframes: readonly { readonly timeframe: string; readonly lengthMs: number }[];
  readonly series: readonly ScopeSeries[];
  readonly targets: readonly ScopeTarget[];
  /** Timeframes rules name that have no fixed length (1d and longer): not evaluated (docs/ALERTS.md). */
  readonly skippedTimeframes: readonly string[];
}

function ruleTimeframes(rule: AlertRule): string[] {
  return rule.rule_type === 'confluence' ? [...rule.timeframes, rule.higher.timeframe] : [...rule.timeframes];
}

function ruleContracts(rule: AlertRule, watchlist: readonly string[]): string[] {
  return rule.contracts === 'watchlist' ? [...watchlist] : rule.contracts.filter((c) => watchlist.includes(c));
}

export function evaluationScope(rules: readonly AlertRule[], watchlist: readonly string[], settings: Settings): EvaluationScope {
  const series = new Map<string, ScopeSeries>();
  const lengths = new Map<string, number>();
  const skipped = new Set<string>();
  for (const rule of rules) {
    for (const timeframe of ruleTimeframes(rule)) {
      const lengthMs = fixedLengthMs(parseTimeframe(timeframe));
      if (lengthMs === undefined) {
        skipped.add(timeframe);
        continue;
      }
      lengths.set(timeframe, lengthMs);
      for (const contractId of ruleContracts(rule, watchlist))
        series.set(`${contractId}|${timeframe}`, { contractId, timeframe, lengthMs });
    }
  }
  const targets: ScopeTarget[] = [];
  for (const t of settings.analyzer.targets) {
    for (const timeframe of t.timeframes) {
      const s = series.get(`${t.contract_id}|${timeframe}`);
      if (s !== undefined) targets.push({ analyzerId: t.analyzer_id, contractId: t.contract_id, timeframe, lengthMs: s.lengthMs });
    }
  }
  const all = [...series.values()];
  return {
    contracts: [...new Set(all.map((s) => s.contractId))].sort(),
    timeframes: [...lengths].map(([timeframe, lengthMs]) => ({ timeframe, lengthMs })),
    series: all,
    targets,
    skippedTimeframes: [...skipped],
  };
}

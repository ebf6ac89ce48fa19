// What a rule names that the settings must know: its contracts, timeframes and analyzer ids.
import { didYouMean } from '../config/config-messages.ts';
import type { Settings } from '../config/settings-schema.ts';
import type { AlertRule } from './rule-schema.ts';

/** The names a rule may refer to. */
export interface RuleReferences {
  readonly contracts: readonly string[];
  readonly timeframes: readonly string[];
  readonly analyzerIds: readonly string[];
}

/** Contracts, ingested timeframes and analyzer ids of the settings. */
export function referencesOf(settings: Settings): RuleReferences {
  return {
    contracts: settings.contracts.map((c) => c.id),
    timeframes: settings.ingester.timeframes,
    analyzerIds: [...new Set(settings.analyzer.targets.map((t) => t.analyzer_id))],
  };
}

/** One problem per unknown name, at its key path. */
export function referenceProblems(rule: AlertRule, refs: RuleReferences): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const check = (path: string, value: string, known: readonly string[], what: string): void => {
    if (!known.includes(value))
      out.push({ path, message: `unknown ${what} "${value}"${didYouMean(value, known)} (known: ${known.join(', ')})` });
  };
  if (rule.contracts !== 'watchlist') rule.contracts.forEach((c, i) => check(`contracts[${i}]`, c, refs.contracts, 'contract'));
  rule.timeframes.forEach((tf, i) => check(`timeframes[${i}]`, tf, refs.timeframes, 'timeframe (not ingested)'));
  if (rule.rule_type === 'signal') check('analyzer_id', rule.analyzer_id, refs.analyzerIds, 'analyzer_id');
  if (rule.rule_type === 'confluence') {
    check('higher.timeframe', rule.higher.timeframe, refs.timeframes, 'timeframe (not ingested)');
    check('higher.analyzer_id', rule.higher.analyzer_id, refs.analyzerIds, 'analyzer_id');
    check('trigger.analyzer_id', rule.trigger.analyzer_id, refs.analyzerIds, 'analyzer_id');
  }
  return out;
}

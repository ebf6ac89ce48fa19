// Compiles a validated rule into its evaluator (one per rule_type).
import { ConfluenceRuleEvaluator } from './confluence-rule.ts';
import { IndicatorRuleEvaluator } from './indicator-rule.ts';
import { PriceCrossRuleEvaluator } from './price-cross-rule.ts';
import type { RuleEvaluator } from './rule-evaluator.ts';
import type { AlertRule } from './rule-schema.ts';
import { SignalRuleEvaluator } from './signal-rule.ts';
import { VolumeSpikeRuleEvaluator } from './volume-spike-rule.ts';

export function compileRule(rule: AlertRule): RuleEvaluator {
  switch (rule.rule_type) {
    case 'signal':
      return new SignalRuleEvaluator(rule);
    case 'price_cross':
      return new PriceCrossRuleEvaluator(rule);
    case 'indicator':
      return new IndicatorRuleEvaluator(rule);
    case 'confluence':
      return new ConfluenceRuleEvaluator(rule);
    case 'volume_spike':
      return new VolumeSpikeRuleEvaluator(rule);
  }
}

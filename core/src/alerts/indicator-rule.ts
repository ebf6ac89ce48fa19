// indicator rule: a structured condition on a closed bar's indicator values (rsi_14 < 30, MACD histogram sign change, Bollinger break).
import { ConditionState, conditionIndicators, conditionValues } from './rule-condition.ts';
import type { Candidate, RuleEvaluator } from './rule-evaluator.ts';
import type { IndicatorRule } from './rule-schema.ts';
import type { SeriesState } from './series-state.ts';

interface PerSeries {
  readonly condition: ConditionState;
  /** The condition's result on the previous closed bar (undefined: warming up). */
  last: boolean | undefined;
}

/**
 * fire: on_enter fires on a bar where the condition holds after a ready bar where it did not (warm-up
 * bars are neither, so the first ready bar never fires); every_bar fires on every bar it holds.
 * Strength: 0.5 (a condition holds or not).
 */
export class IndicatorRuleEvaluator implements RuleEvaluator {
  readonly indicators: readonly string[];
  readonly volumePeriods: readonly number[] = [];
  readonly extraSignalTimeframes: readonly string[] = [];
  private readonly state = new Map<SeriesState, PerSeries>();

  constructor(readonly rule: IndicatorRule) {
    this.indicators = [...new Set([...conditionIndicators(rule.condition), ...('atr' in rule.risk ? [rule.risk.atr] : [])])];
  }

  onBar(series: SeriesState): Candidate | undefined {
    let s = this.state.get(series);
    if (s === undefined) {
      s = { condition: new ConditionState(), last: undefined };
      this.state.set(series, s);
    }
    const bar = series.latest!;
    const holds = s.condition.evaluate(this.rule.condition, bar, series.values);
    const last = s.last;
    s.last = holds;
    if (holds !== true) return undefined;
    if (this.rule.fire === 'on_enter' && last !== false) return undefined;
    return {
      setup: 'condition',
      barTime: bar.time,
      direction: this.rule.direction,
      strength: 0.5,
      entry: bar.close,
      details: conditionValues(this.rule.condition, bar, series.values, { close: bar.close }),
    };
  }
}

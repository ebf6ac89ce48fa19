// price_cross rule: a closed bar's close crosses a fixed level or a moving one (an indicator such as ema_200).
import { readOperand } from './rule-operand.ts';
import type { Candidate, RuleEvaluator } from './rule-evaluator.ts';
import type { PriceCrossRule } from './rule-schema.ts';
import { REFERENCE_ATR, type SeriesState } from './series-state.ts';

/**
 * A cross is a change of the sign of close − level between closed bars, ignoring bars that close
 * exactly on the level (their sign is not recorded), so "below, on, above" is one cross up at "above".
 * The first ready bar only records the side. Strength: min(1, |close − level| / ATR(14)).
 */
export class PriceCrossRuleEvaluator implements RuleEvaluator {
  readonly indicators: readonly string[];
  readonly volumePeriods: readonly number[] = [];
  readonly extraSignalTimeframes: readonly string[] = [];
  private readonly lastSide = new Map<SeriesState, number>();

  constructor(readonly rule: PriceCrossRule) {
    const level = rule.level;
    this.indicators = [...(level.kind === 'indicator' ? [level.indicator] : []), ...('atr' in rule.risk ? [rule.risk.atr] : [])];
  }

  onBar(series: SeriesState): Candidate | undefined {
    const bar = series.latest!;
    const level = readOperand(this.rule.level, bar, series.values);
    if (level === undefined) return undefined;
    const diff = bar.close - level;
    const side = Math.sign(diff);
    if (side === 0) return undefined;
    const last = this.lastSide.get(series);
    this.lastSide.set(series, side);
    if (last === undefined || last === side) return undefined;
    const up = side > 0;
    if (this.rule.direction !== 'any' && (this.rule.direction === 'up') !== up) return undefined;
    const atr = series.number(REFERENCE_ATR);
    return {
      setup: up ? 'cross_up' : 'cross_down',
      barTime: bar.time,
      direction: up ? 'long' : 'short',
      strength: atr === undefined || atr === 0 ? 0.5 : Math.min(1, Math.abs(diff) / atr),
      entry: bar.close,
      details: { close: bar.close, level, level_of: this.rule.level.text },
    };
  }
}

// volume_spike rule: a closed bar's volume above multiple × SMA(volume, period) of the bars before it.
import type { Candidate, RuleEvaluator } from './rule-evaluator.ts';
import type { VolumeSpikeRule } from './rule-schema.ts';
import type { SeriesState } from './series-state.ts';

/** Fires on every bar that spikes (cooldown spaces them). Strength: min(1, ratio / (2 × multiple)). */
export class VolumeSpikeRuleEvaluator implements RuleEvaluator {
  readonly indicators: readonly string[];
  readonly volumePeriods: readonly number[];
  readonly extraSignalTimeframes: readonly string[] = [];

  constructor(readonly rule: VolumeSpikeRule) {
    this.indicators = 'atr' in rule.risk ? [rule.risk.atr] : [];
    this.volumePeriods = [rule.period];
  }

  onBar(series: SeriesState): Candidate | undefined {
    const average = series.volumeAverage(this.rule.period);
    if (average === undefined) return undefined;
    const bar = series.latest!;
    if (!(bar.volume > this.rule.multiple * average)) return undefined;
    const ratio = average > 0 ? bar.volume / average : Infinity;
    return {
      setup: 'volume_spike',
      barTime: bar.time,
      direction: this.rule.direction,
      strength: Math.min(1, ratio / (2 * this.rule.multiple)),
      entry: bar.close,
      details: { volume: bar.volume, volume_average: average, ratio: Number.isFinite(ratio) ? ratio : null, close: bar.close },
    };
  }
}

// confluence rule (multi-timeframe, the replaced system's "coordinator"): a higher timeframe's trend in force and a trend start on the rule's timeframe.
import type { Direction } from './alert.ts';
import type { SignalEvent } from './engine-events.ts';
import { signalDetails, signalEntry, type Candidate, type RuleEvaluator, type SeriesLookup } from './rule-evaluator.ts';
import type { ConfluenceRule } from './rule-schema.ts';
import type { SeriesState } from './series-state.ts';

interface Trend {
  readonly direction: Direction;
  readonly barTime: number;
  readonly type: string;
}

/**
 * Fires on a trigger signal S (trigger.analyzer_id, one of trigger.up_types/down_types, on one of the
 * rule's timeframes) when:
 *  - S is fresh: at most trigger.within_bars closed bars of S's series after S's bar;
 *  - the higher timeframe's most recent trend signal H (higher.analyzer_id, up/down types) of the same
 *    contract, among those fed before S, points the same way; and
 *  - H is in force: at most higher.within_bars closed bars of the higher series after H's bar.
 * Strength: 0.5 + 0.25 × (1 − age(S) / (trigger.within_bars + 1)) + 0.25 × (1 − age(H) / (higher.within_bars + 1)).
 */
export class ConfluenceRuleEvaluator implements RuleEvaluator {
  readonly indicators: readonly string[];
  readonly volumePeriods: readonly number[] = [];
  readonly extraSignalTimeframes: readonly string[];
  private readonly higherTrend = new Map<string, Trend>();

  constructor(readonly rule: ConfluenceRule) {
    this.indicators = 'atr' in rule.risk ? [rule.risk.atr] : [];
    this.extraSignalTimeframes = [rule.higher.timeframe];
  }

  onSignal(signal: SignalEvent, series: SeriesState, lookup: SeriesLookup): Candidate | undefined {
    const { higher, trigger } = this.rule;
    if (signal.timeframe === higher.timeframe && signal.analyzerId === higher.analyzer_id) {
      const direction = legDirection(higher, signal.type);
      if (direction !== 'none') this.higherTrend.set(signal.contractId, { direction, barTime: signal.barTime, type: signal.type });
    }
    if (!this.rule.timeframes.includes(signal.timeframe) || signal.analyzerId !== trigger.analyzer_id) return undefined;
    const direction = legDirection(trigger, signal.type);
    if (direction === 'none') return undefined;
    const triggerAge = series.times.barsSince(signal.barTime);
    if (triggerAge > trigger.within_bars) return undefined;
    const h = this.higherTrend.get(signal.contractId);
    if (h === undefined || h.direction !== direction) return undefined;
    const higherAge = lookup(signal.contractId, higher.timeframe)?.times.barsSince(h.barTime) ?? Infinity;
    if (higherAge > higher.within_bars) return undefined;
    return {
      setup: signal.type,
      barTime: signal.barTime,
      direction,
      strength: 0.5 + 0.25 * (1 - triggerAge / (trigger.within_bars + 1)) + 0.25 * (1 - higherAge / (higher.within_bars + 1)),
      entry: signalEntry(signal, series),
      details: {
        ...signalDetails(signal),
        trigger_bars_ago: triggerAge,
        higher_timeframe: higher.timeframe,
        // With the type and time, the higher signal's identity: a retraction finds the alerts standing on it.
        higher_analyzer_id: higher.analyzer_id,
        higher_signal_type: h.type,
        higher_signal_time: new Date(h.barTime).toISOString(),
        higher_bars_ago: higherAge,
      },
    };
  }
}

function legDirection(leg: { readonly up_types: readonly string[]; readonly down_types: readonly string[] }, type: string): Direction {
  return leg.up_types.includes(type) ? 'long' : leg.down_types.includes(type) ? 'short' : 'none';
}

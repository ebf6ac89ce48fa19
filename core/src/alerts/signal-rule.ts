// signal rule: a stored signal of one analyzer, of the listed types, becomes an alert about the signal's bar.
import type { SignalEvent } from './engine-events.ts';
import { signalDetails, signalDirection, signalEntry, type Candidate, type RuleEvaluator } from './rule-evaluator.ts';
import type { SignalRule } from './rule-schema.ts';
import type { SeriesState } from './series-state.ts';

export class SignalRuleEvaluator implements RuleEvaluator {
  readonly indicators: readonly string[];
  readonly volumePeriods: readonly number[] = [];
  readonly extraSignalTimeframes: readonly string[] = [];
  private readonly types: ReadonlySet<string> | undefined;

  constructor(readonly rule: SignalRule) {
    this.indicators = 'atr' in rule.risk ? [rule.risk.atr] : [];
    this.types = rule.signal_types === undefined ? undefined : new Set(rule.signal_types);
  }

  /** Strength: the signal's details.confidence when it is a number in [0, 1], else 0.5. */
  onSignal(signal: SignalEvent, series: SeriesState): Candidate | undefined {
    if (signal.analyzerId !== this.rule.analyzer_id) return undefined;
    if (this.types !== undefined && !this.types.has(signal.type)) return undefined;
    const c = signal.details.confidence;
    return {
      setup: signal.type,
      barTime: signal.barTime,
      direction: signalDirection(signal.type),
      strength: typeof c === 'number' && c >= 0 && c <= 1 ? c : 0.5,
      entry: signalEntry(signal, series),
      details: signalDetails(signal),
    };
  }
}

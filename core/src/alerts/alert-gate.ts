// The gates between a rule's candidate and an alert: time window, repeated key, cooldown, dedupe window — all on event times.
import type { AlertRule } from './rule-schema.ts';
import type { SeriesState } from './series-state.ts';
import { inTimeWindow } from './time-window.ts';

/** Why a candidate did not become an alert (for tests and, later, the alerter's metrics). */
export type Suppression = 'window' | 'repeat' | 'cooldown' | 'dedupe';

interface LastAlert {
  readonly barTime: number;
  readonly setup: string;
  readonly knownAt: number;
  /** The series' closed-bar count when it fired. */
  readonly barCount: number;
}

/**
 * Per rule. Checked in this order, and only an alert that passes all of them updates the state (a
 * suppressed candidate starts no cooldown):
 * 1. window: knownAt must lie in the rule's time window (time zone, ranges, weekdays);
 * 2. repeat: the same alert key (bar time and setup) as the last alert of this series is dropped;
 * 3. cooldown: "N bars": at least N closed bars of the series since the last alert of this
 *    (contract, timeframe); duration: knownAt at least that long after it;
 * 4. dedupe: the same (contract, setup) — any timeframe — fired less than dedupe_window before.
 */
export class AlertGate {
  private readonly rule: AlertRule;
  /** By series (one SeriesState per contract and timeframe). */
  private readonly lastBySeries = new Map<SeriesState, LastAlert>();
  /** contract → setup → knownAt of its last alert. */
  private readonly lastBySetup = new Map<string, Map<string, number>>();

  constructor(rule: AlertRule) {
    this.rule = rule;
  }

  check(series: SeriesState, barTime: number, setup: string, knownAt: number): Suppression | undefined {
    const rule = this.rule;
    if (rule.window !== undefined && !inTimeWindow(rule.window, knownAt)) return 'window';
    const barCount = series.times.count;
    const last = this.lastBySeries.get(series);
    if (last !== undefined) {
      if (last.barTime === barTime && last.setup === setup) return 'repeat';
      const cd = rule.cooldown;
      if (cd !== undefined && ('bars' in cd ? barCount - last.barCount < cd.bars : knownAt - last.knownAt < cd.ms)) return 'cooldown';
    }
    let setups = this.lastBySetup.get(series.contractId);
    const lastSetup = setups?.get(setup);
    if (rule.dedupe_window !== undefined && lastSetup !== undefined && knownAt - lastSetup < rule.dedupe_window) return 'dedupe';
    this.lastBySeries.set(series, { barTime, setup, knownAt, barCount });
    if (setups === undefined) this.lastBySetup.set(series.contractId, (setups = new Map<string, number>()));
    setups.set(setup, knownAt);
    return undefined;
  }
}

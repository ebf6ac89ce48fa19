// The gates between a rule's candidate and an alert: time window, repeated key, cooldown, dedupe window — all on event times.
import type { AlertRule } from './rule-schema.ts';
import { inTimeWindow } from './time-window.ts';

/** Why a candidate did not become an alert (for tests and, later, the alerter's metrics). */
export type Suppression = 'window' | 'repeat' | 'cooldown' | 'dedupe';

interface LastAlert {
  readonly key: string;
  readonly knownAt: number;
  /** The series' closed-bar count when it fired. */
  readonly barCount: number;
}

/**
 * Per rule. Checked in this order, and only an alert that passes all of them updates the state (a
 * suppressed candidate starts no cooldown):
 * 1. window: knownAt must lie in the rule's time window (time zone, ranges, weekdays);
 * 2. repeat: the same key as the last alert of this (contract, timeframe) is dropped;
 * 3. cooldown: "N bars": at least N closed bars of the series since the last alert of this
 *    (contract, timeframe); duration: knownAt at least that long after it;
 * 4. dedupe: the same (contract, setup) — any timeframe — fired less than dedupe_window before.
 */
export class AlertGate {
  private readonly rule: AlertRule;
  private readonly lastBySeries = new Map<string, LastAlert>();
  private readonly lastBySetup = new Map<string, number>();

  constructor(rule: AlertRule) {
    this.rule = rule;
  }

  check(contractId: string, timeframe: string, setup: string, key: string, knownAt: number, barCount: number): Suppression | undefined {
    const rule = this.rule;
    if (rule.window !== undefined && !inTimeWindow(rule.window, knownAt)) return 'window';
    const series = `${contractId}|${timeframe}`;
    const last = this.lastBySeries.get(series);
    if (last !== undefined) {
      if (last.key === key) return 'repeat';
      const cd = rule.cooldown;
      if (cd !== undefined && ('bars' in cd ? barCount - last.barCount < cd.bars : knownAt - last.knownAt < cd.ms)) return 'cooldown';
    }
    const setupKey = `${contractId}|${setup}`;
    const lastSetup = this.lastBySetup.get(setupKey);
    if (rule.dedupe_window !== undefined && lastSetup !== undefined && knownAt - lastSetup < rule.dedupe_window) return 'dedupe';
    this.lastBySeries.set(series, { key, knownAt, barCount });
    this.lastBySetup.set(setupKey, knownAt);
    return undefined;
  }
}

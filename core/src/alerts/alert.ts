// Alert: what a rule produced at one bar — the record the alerter stores (alerts table) and delivers.
import type { RuleType, Severity } from './rule-schema.ts';

export type Direction = 'long' | 'short' | 'none';

/** A JSON-able record of the values that triggered a rule (bar fields, indicator values, signal fields). */
export type TriggerDetails = Readonly<Record<string, number | string | boolean | null>>;

export interface Alert {
  /** Deterministic identity (alertKey): the same rule firing on the same setup at the same bar has the same key. */
  readonly key: string;
  readonly rule: string;
  readonly ruleType: RuleType;
  readonly contractId: string;
  readonly timeframe: string;
  /** What was seen: a signal type (uptrend_start), cross_up/cross_down, condition, volume_spike. */
  readonly setup: string;
  /** Open time (epoch ms) of the bar the alert is about (for a signal: the signal's bar). */
  readonly barTime: number;
  /** Close time (epoch ms) of the bar that made it knowable: when the alert was raised, in event time. */
  readonly knownAt: number;
  readonly direction: Direction;
  /** Close of the bar that made it knowable (a signal's price when that bar is not in the series). */
  readonly entry: number | null;
  readonly stopLoss: number | null;
  readonly target: number | null;
  /** 0..1, 4 decimals (formula in confidence.ts). */
  readonly confidence: number;
  readonly severity: Severity;
  readonly priority: number;
  readonly details: TriggerDetails;
  /** /trends URL of this contract and timeframe at the alert's bar. */
  readonly trendsLink: string;
}

/**
 * `<rule>|<contract>|<timeframe>|<bar time ISO>|<setup>`. Rule names cannot hold `|`; the key is what the
 * alerts table's unique constraint holds, so replaying the same events never stores an alert twice. The
 * alerter stores a setup found again after its alert was retracted as `<key>|found <n>` (alert-store.ts).
 */
export function alertKey(rule: string, contractId: string, timeframe: string, barTime: number, setup: string): string {
  return `${rule}|${contractId}|${timeframe}|${new Date(barTime).toISOString()}|${setup}`;
}

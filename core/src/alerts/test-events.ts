// Test builders for the alert tests: rules from partial objects, bar and signal events on a fixed clock.
import type { OhlcBar } from '../bar.ts';
import type { Alert } from './alert.ts';
import type { BarEvent, EngineEvent, SignalEvent } from './engine-events.ts';
import { RuleEngine, type RuleEngineOptions } from './rule-engine.ts';
import { parseRuleFile } from './rule-file.ts';
import type { AlertRule } from './rule-schema.ts';

/** 2025-03-03 00:00 UTC, a Monday. */
export const T0 = Date.UTC(2025, 2, 3);
export const MINUTE = 60_000;

/** Validated rules from their YAML-shaped objects (defaults applied, as a rule file would give them). */
export function rules(...raw: Record<string, unknown>[]): AlertRule[] {
  return parseRuleFile(raw, 'test.yaml');
}

/** 1m bars from closes: open = previous close, high/low around both, volume given or 100. */
export function minuteBars(closes: readonly number[], volumes: readonly number[] = [], start = T0, step = MINUTE): OhlcBar[] {
  return closes.map((close, i) => {
    const open = i === 0 ? close : closes[i - 1]!;
    return {
      time: start + i * step,
      open,
      high: Math.max(open, close) + 0.25,
      low: Math.min(open, close) - 0.25,
      close,
      volume: volumes[i] ?? 100,
    };
  });
}

export function barEvents(contractId: string, timeframe: string, bars: readonly OhlcBar[]): BarEvent[] {
  return bars.map((bar) => ({ kind: 'bar', contractId, timeframe, bar }));
}

export function signal(
  contractId: string,
  timeframe: string,
  type: string,
  barTime: number,
  triggerTime: number,
  analyzerId = 'cus_cds_trend_finder',
  details: Record<string, unknown> = {},
): SignalEvent {
  return { kind: 'signal', analyzerId, contractId, timeframe, barTime, triggerTime, type, price: null, details };
}

/** Feeds events one at a time (in the order given) and returns every alert. */
export function runLive(ruleSet: readonly AlertRule[], events: readonly EngineEvent[], options?: RuleEngineOptions): Alert[] {
  const engine = new RuleEngine(ruleSet, options);
  return events.flatMap((e) => engine.process(e));
}

/** Index of each alert's bar in a 1m series starting at T0. */
export function barIndexes(alerts: readonly Alert[], start = T0, step = MINUTE): number[] {
  return alerts.map((a) => (a.barTime - start) / step);
}

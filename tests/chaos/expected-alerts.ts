// What the alerter should have raised on the chaos stream: a batch evaluation of its rules over the bars
// and signals stored, up to its watermark; and what the bars corrected during the run explain besides.
import type pg from 'pg';
import { parse as parseYaml } from 'yaml';
import { evaluateBatch, parseRuleFile, type EngineEvent } from '../../core/src/index.ts';
import { TRIGGER_TIME_SQL } from '../../alerter/src/signal-trigger.ts';
import type { BarCorrection } from './bar-correction.ts';

/** Rules that fire often on the chaos stream's 1m bars and the two analyzers' signals. */
export function chaosRules(contract: string): string {
  return `
- { name: chaos-trend, rule_type: signal, analyzer_id: trend, contracts: [${contract}], timeframes: [1m] }
- { name: chaos-ema-signal, rule_type: signal, analyzer_id: ema, contracts: [${contract}], timeframes: [1m] }
- { name: chaos-ema-cross, rule_type: price_cross, level: ema_9, contracts: [${contract}], timeframes: [1m] }
- { name: chaos-volume, rule_type: volume_spike, multiple: 1.3, period: 10, contracts: [${contract}], timeframes: [1m, 5m] }
`;
}

const MINUTE_MS = 60_000;

export interface SignalRow {
  a: string;
  t: number;
  trig: number;
  ty: string;
  p: number | null;
  d: Record<string, unknown>;
}

export interface StoredEvents {
  /** The alerter's watermark (epoch ms). */
  readonly watermark: number;
  readonly events: readonly EngineEvent[];
  readonly signals: readonly SignalRow[];
}

/** The engine key of a stored alert: a setup found again after a retraction is stored as `<key>|found <n>`. */
export const engineKey = (storedKey: string): string => storedKey.replace(/\|found \d+$/, '');

/** When an event becomes known on the chaos stream (1m and 5m bars, 1m signals). */
export const knownAt = (e: EngineEvent): number =>
  e.kind === 'bar' ? e.bar.time + Number(e.timeframe.slice(0, -1)) * MINUTE_MS : e.triggerTime + MINUTE_MS;

export async function readStoredEvents(pool: pg.Pool, contract: string): Promise<StoredEvents> {
  const mark = await pool.query<{ t: number }>(
    `SELECT (extract(epoch FROM last_processed_timestamp) * 1000)::float8 AS t FROM analyzer_watermarks WHERE analyzer_id = 'alerter' AND timeframe = '*'`,
  );
  const bars = await pool.query<{ v: number; t: number; open: number; high: number; low: number; close: number; volume: number }>(
    `SELECT timeframe_value AS v, (extract(epoch FROM "timestamp") * 1000)::float8 AS t, open, high, low, close, volume
       FROM ohlc_bars WHERE contract_id = $1 AND is_closed AND timeframe_unit = 2 ORDER BY "timestamp"`,
    [contract],
  );
  const signals = await pool.query<SignalRow>(
    `SELECT analyzer_id AS a, (extract(epoch FROM "timestamp") * 1000)::float8 AS t,
            (extract(epoch FROM ${TRIGGER_TIME_SQL}) * 1000)::float8 AS trig, signal_type AS ty, signal_price AS p, details AS d
       FROM detected_signals s WHERE contract_id = $1 AND timeframe = '1m'`,
    [contract],
  );
  const events: EngineEvent[] = [
    ...bars.rows.map((r): EngineEvent => ({
      kind: 'bar',
      contractId: contract,
      timeframe: `${r.v}m`,
      bar: { time: r.t, open: r.open, high: r.high, low: r.low, close: r.close, volume: r.volume },
    })),
    ...signals.rows.map((r): EngineEvent => ({
      kind: 'signal',
      analyzerId: r.a,
      contractId: contract,
      timeframe: '1m',
      barTime: r.t,
      triggerTime: r.trig,
      type: r.ty,
      price: r.p,
      details: r.d,
    })),
  ];
  return { watermark: mark.rows[0]?.t ?? 0, events, signals: signals.rows };
}

function rulesOf(contract: string) {
  return parseRuleFile(parseYaml(chaosRules(contract)), 'chaos rules');
}

/** The keys a batch raises over the events known up to `through` (default: all). */
export function batchKeys(contract: string, events: readonly EngineEvent[], through = Infinity): string[] {
  return evaluateBatch(
    rulesOf(contract),
    events.filter((e) => knownAt(e) <= through),
  ).map((a) => a.key);
}

/** Bar-rule alerts a batch raises with each corrected bar's values in place of the final ones (what the
 * alerter could rightly raise while the correction stood; a bar rule's alert is never retracted). */
export function keysOnCorrectedBars(contract: string, events: readonly EngineEvent[], corrections: readonly BarCorrection[]): Set<string> {
  const keys = new Set<string>();
  for (const c of corrections) {
    const swapped = events.map((e) =>
      e.kind === 'bar' && e.timeframe === '1m' && e.bar.time === c.corrected.time ? { ...e, bar: c.corrected } : e,
    );
    for (const a of evaluateBatch(rulesOf(contract), swapped)) if (a.ruleType !== 'signal') keys.add(a.key);
  }
  return keys;
}

// The alerter under chaos: the alerts stored equal a batch evaluation of the same rules over the bars
// and signals stored (up to the alerter's watermark), each delivered, and the webhook receiver (which
// deduplicates on the idempotency key, as the contract asks receivers to) accepted every key once. An
// alert on a signal the analyzer withdrew got exactly one retraction (or, never sent, was cancelled), and
// no alert that stands got one.
import type pg from 'pg';
import { parse as parseYaml } from 'yaml';
import { evaluateBatch, parseRuleFile, type EngineEvent } from '../../core/src/index.ts';
import type { WebhookReceiver } from '../fakes/webhook-receiver.ts';
import { TRIGGER_TIME_SQL } from '../../alerter/src/signal-trigger.ts';

/** Rules that fire often on the chaos stream's 1m bars and the two analyzers' signals. */
export function chaosRules(contract: string): string {
  return `
- { name: chaos-trend, rule_type: signal, analyzer_id: trend, contracts: [${contract}], timeframes: [1m] }
- { name: chaos-ema-signal, rule_type: signal, analyzer_id: ema, contracts: [${contract}], timeframes: [1m] }
- { name: chaos-ema-cross, rule_type: price_cross, level: ema_9, contracts: [${contract}], timeframes: [1m] }
- { name: chaos-volume, rule_type: volume_spike, multiple: 1.3, period: 10, contracts: [${contract}], timeframes: [1m, 5m] }
`;
}

export interface AlertComparison {
  readonly alertsExpected: number;
  readonly alertsStored: number;
  readonly deliveriesDelivered: number;
  /** Keys the receiver answered 2xx more than once (an attempt whose outcome died with the alerter). */
  readonly redeliveries: number;
  /** Expected alerts not stored (each also a difference). */
  readonly missing: number;
  /** 1m signals the analyzer stored and later withdrew (not stored again). */
  readonly withdrawnSignals: number;
  /** Alerts on those signals, sent before the withdrawal: not differences. */
  readonly onWithdrawnSignals: number;
  /** Of those, retracted: the receiver accepted exactly one retraction each (each one missing is a difference). */
  readonly retractionsDelivered: number;
  /** Of those, withdrawn before they were sent: cancelled, nothing sent. */
  readonly cancelledBeforeSending: number;
  readonly differences: string[];
}

const MINUTE_MS = 60_000;

export async function compareAlerts(pool: pg.Pool, contract: string, receiver: WebhookReceiver): Promise<AlertComparison> {
  const differences: string[] = [];
  const mark = await pool.query<{ t: number }>(
    `SELECT (extract(epoch FROM last_processed_timestamp) * 1000)::float8 AS t FROM analyzer_watermarks WHERE analyzer_id = 'alerter' AND timeframe = '*'`,
  );
  const watermark = mark.rows[0]?.t ?? 0;
  const bars = await pool.query<{ v: number; t: number; open: number; high: number; low: number; close: number; volume: number }>(
    `SELECT timeframe_value AS v, (extract(epoch FROM "timestamp") * 1000)::float8 AS t, open, high, low, close, volume
       FROM ohlc_bars WHERE contract_id = $1 AND is_closed AND timeframe_unit = 2 ORDER BY "timestamp"`,
    [contract],
  );
  const signals = await pool.query<{ a: string; t: number; trig: number; ty: string; p: number | null; d: Record<string, unknown> }>(
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
  const known = (e: EngineEvent): number =>
    e.kind === 'bar' ? e.bar.time + Number(e.timeframe.slice(0, -1)) * MINUTE_MS : e.triggerTime + MINUTE_MS;
  const rules = parseRuleFile(parseYaml(chaosRules(contract)), 'chaos rules');
  const expected = evaluateBatch(
    rules,
    events.filter((e) => known(e) <= watermark),
  ).map((a) => a.key);
  const stored = await pool.query<{ alert_key: string; status: string; idempotency_key: string; retracted: boolean }>(
    `SELECT a.alert_key, d.status, d.idempotency_key, a.retracted_at IS NOT NULL AS retracted
       FROM alerts a JOIN alert_deliveries d USING (alert_id) WHERE d.kind = 'alert'`,
  );
  const retractions = await pool.query<{ alert_key: string; status: string; idempotency_key: string }>(
    `SELECT a.alert_key, d.status, d.idempotency_key FROM alerts a JOIN alert_deliveries d USING (alert_id) WHERE d.kind = 'retraction'`,
  );
  const retractionOf = new Map(retractions.rows.map((r) => [r.alert_key, r]));
  const storedKeys = new Set(stored.rows.map((r) => r.alert_key));
  const expectedKeys = new Set(expected);
  const missing = expected.filter((k) => !storedKeys.has(k));
  for (const k of missing) differences.push(`alert missing: ${k}`);
  // An alert on a signal the analyzer stored and later withdrew (a bar corrected after the alert: the
  // recomputation no longer finds it) was right when it was sent and cannot be unsent: counted apart.
  const withdrawn = await pool.query<{ k: string }>(
    `SELECT DISTINCT w.analyzer_id || '|' || to_char(w."timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '|' || w.signal_type AS k
       FROM chaos_withdrawn_signals w
      WHERE w.contract_id = $1 AND w.timeframe = '1m' AND NOT EXISTS (SELECT 1 FROM detected_signals s
        WHERE s.analyzer_id = w.analyzer_id AND s.contract_id = w.contract_id AND s.timeframe = w.timeframe
          AND s."timestamp" = w."timestamp" AND s.signal_type = w.signal_type)`,
    [contract],
  );
  const withdrawnSignals = new Set(withdrawn.rows.map((r) => r.k));
  const analyzerOfRule: Record<string, string> = { 'chaos-trend': 'trend', 'chaos-ema-signal': 'ema' };
  let onWithdrawn = 0;
  const onWithdrawnKeys = new Set<string>();
  const unexpected = [...storedKeys].filter((k) => !expectedKeys.has(k));
  if (unexpected.length > 0) {
    // What a batch over every stored event, past the alerter's watermark too, says of them; and the signals
    // stored near their bars: tells an alert beyond the watermark from one on a bar since corrected.
    const all = new Set(evaluateBatch(rules, events).map((a) => a.key));
    for (const k of unexpected) {
      const [rule, , , barIso, type] = k.split('|');
      if (withdrawnSignals.has(`${analyzerOfRule[rule ?? ''] ?? '?'}|${barIso}|${type}`)) {
        onWithdrawn++;
        onWithdrawnKeys.add(k);
        continue;
      }
      const bar = Date.parse(barIso ?? '');
      const near = signals.rows
        .filter((r) => Math.abs(r.t - bar) <= 5 * MINUTE_MS)
        .map((r) => `${r.a} ${new Date(r.t).toISOString()} ${r.ty} trig ${new Date(r.trig).toISOString()}`);
      differences.push(
        `alert not in the batch evaluation: ${k} (alerter watermark ${new Date(watermark).toISOString()}; ${all.has(k) ? 'in' : 'not in'} a batch over every stored event; signals within 5 min: ${near.join(', ') || 'none'})`,
      );
    }
  }
  const accepted = new Set(receiver.accepted);
  if (accepted.size !== receiver.accepted.length) differences.push('the receiver accepted a key twice');
  let delivered = 0;
  let retractionsDelivered = 0;
  let cancelledBeforeSending = 0;
  for (const r of stored.rows) {
    const retraction = retractionOf.get(r.alert_key);
    if (onWithdrawnKeys.has(r.alert_key)) {
      // Withdrawn: delivered then retracted once, or cancelled before it was sent (and nothing retracted).
      if (!r.retracted) differences.push(`alert on a withdrawn signal not retracted: ${r.alert_key}`);
      if (r.status === 'cancelled') {
        cancelledBeforeSending++;
        if (accepted.has(r.idempotency_key)) differences.push(`receiver accepted a cancelled alert: ${r.alert_key}`);
        if (retraction !== undefined && retraction.status !== 'cancelled')
          differences.push(`retraction of a cancelled alert is ${retraction.status}: ${r.alert_key}`);
        continue;
      }
      if (retraction?.status !== 'delivered' || !accepted.has(retraction.idempotency_key))
        differences.push(`no retraction delivered for ${r.alert_key} (${retraction?.status ?? 'none stored'})`);
      else retractionsDelivered++;
    } else if (r.retracted || retraction !== undefined) {
      differences.push(`alert retracted though its signal stands: ${r.alert_key}`);
    }
    if (r.status !== 'delivered') differences.push(`delivery of ${r.alert_key} is ${r.status}`);
    else delivered++;
    if (!accepted.has(r.idempotency_key)) differences.push(`receiver never accepted ${r.alert_key}`);
  }
  const knownKeys = new Set([...stored.rows, ...retractions.rows].map((r) => r.idempotency_key));
  for (const k of accepted) if (!knownKeys.has(k)) differences.push(`receiver accepted an unknown key ${k}`);
  return {
    alertsExpected: expected.length,
    alertsStored: storedKeys.size,
    deliveriesDelivered: delivered,
    redeliveries: receiver.repeats.length,
    missing: missing.length,
    withdrawnSignals: withdrawnSignals.size,
    onWithdrawnSignals: onWithdrawn,
    retractionsDelivered,
    cancelledBeforeSending,
    differences,
  };
}

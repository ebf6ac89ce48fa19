// The alerter under chaos: the alerts stored equal a batch evaluation of the same rules over the bars
// and signals stored (up to the alerter's watermark), each delivered, and the webhook receiver (which
// deduplicates on the idempotency key, as the contract asks receivers to) accepted every key once. An
// alert on a signal the analyzer withdrew got exactly one retraction (or, never sent, was cancelled), and
// no alert that stands got one; a setup found again after its retraction (`<key>|found <n>`) was alerted
// again once, its earlier findings retracted. Bar-rule alerts raised while a bar stood corrected
// (bar-correction.ts) are counted apart.
import type pg from 'pg';
import type { WebhookReceiver } from '../fakes/webhook-receiver.ts';
import type { BarCorrection } from './bar-correction.ts';
import { batchKeys, engineKey, keysOnCorrectedBars, readStoredEvents } from './expected-alerts.ts';

export { chaosRules } from './expected-alerts.ts';

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
  /** Of those and of the findings found again later, retracted: the receiver accepted exactly one retraction each (each one missing is a difference). */
  readonly retractionsDelivered: number;
  /** Of the same, withdrawn before they were sent: cancelled, nothing sent. */
  readonly cancelledBeforeSending: number;
  /** Alerts retracted and then raised again as a new finding of the same setup (its signal found again). */
  readonly foundAgain: number;
  /** 1m bars corrected (and corrected back) during the run, and the bar-rule alerts raised on their corrected values. */
  readonly barsCorrected: number;
  readonly onCorrectedBars: number;
  readonly differences: string[];
}

interface StoredAlert {
  alert_key: string;
  status: string;
  idempotency_key: string;
  retracted: boolean;
}

const MINUTE_MS = 60_000;

/** A stored alert's finding: 1 for the engine's key, n for `|found <n>`. */
const findingOf = (key: string): number => Number(/\|found (\d+)$/.exec(key)?.[1] ?? 1);

export async function compareAlerts(
  pool: pg.Pool,
  contract: string,
  receiver: WebhookReceiver,
  corrections: readonly BarCorrection[] = [],
): Promise<AlertComparison> {
  const differences: string[] = [];
  const { watermark, events, signals } = await readStoredEvents(pool, contract);
  const expected = batchKeys(contract, events, watermark);
  const stored = await pool.query<StoredAlert>(
    `SELECT a.alert_key, d.status, d.idempotency_key, a.retracted_at IS NOT NULL AS retracted
       FROM alerts a JOIN alert_deliveries d USING (alert_id) WHERE d.kind = 'alert'`,
  );
  const retractions = await pool.query<{ alert_key: string; status: string; idempotency_key: string }>(
    `SELECT a.alert_key, d.status, d.idempotency_key FROM alerts a JOIN alert_deliveries d USING (alert_id) WHERE d.kind = 'retraction'`,
  );
  const retractionOf = new Map(retractions.rows.map((r) => [r.alert_key, r]));
  // The findings of each engine key, in order: all but the last retracted; the last stands if the key is expected.
  const findings = new Map<string, StoredAlert[]>();
  for (const r of [...stored.rows].sort((a, b) => findingOf(a.alert_key) - findingOf(b.alert_key))) {
    const k = engineKey(r.alert_key);
    findings.set(k, [...(findings.get(k) ?? []), r]);
  }
  const expectedKeys = new Set(expected);
  const missing = expected.filter((k) => !findings.has(k));
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
  const onCorrected = corrections.length === 0 ? new Set<string>() : keysOnCorrectedBars(contract, events, corrections);
  let onWithdrawn = 0;
  let onCorrectedBars = 0;
  let foundAgain = 0;
  const accepted = new Set(receiver.accepted);
  if (accepted.size !== receiver.accepted.length) differences.push('the receiver accepted a key twice');
  let delivered = 0;
  let retractionsDelivered = 0;
  let cancelledBeforeSending = 0;
  /** A finding that was withdrawn: delivered then retracted once, or cancelled before it was sent (nothing retracted). */
  const checkRetracted = (r: StoredAlert): void => {
    const retraction = retractionOf.get(r.alert_key);
    if (!r.retracted) differences.push(`alert on a withdrawn signal not retracted: ${r.alert_key}`);
    if (r.status === 'cancelled') {
      cancelledBeforeSending++;
      if (accepted.has(r.idempotency_key)) differences.push(`receiver accepted a cancelled alert: ${r.alert_key}`);
      if (retraction !== undefined && retraction.status !== 'cancelled')
        differences.push(`retraction of a cancelled alert is ${retraction.status}: ${r.alert_key}`);
      return;
    }
    if (retraction?.status !== 'delivered' || !accepted.has(retraction.idempotency_key))
      differences.push(`no retraction delivered for ${r.alert_key} (${retraction?.status ?? 'none stored'})`);
    else retractionsDelivered++;
    checkDelivered(r);
  };
  const checkDelivered = (r: StoredAlert): void => {
    if (r.status !== 'delivered') differences.push(`delivery of ${r.alert_key} is ${r.status}`);
    else delivered++;
    if (!accepted.has(r.idempotency_key)) differences.push(`receiver never accepted ${r.alert_key}`);
  };
  let unexplained: string[] = [];
  for (const [k, rows] of findings) {
    const [rule, , , barIso, type] = k.split('|');
    const standing = rows[rows.length - 1]!;
    if (expectedKeys.has(k)) {
      // Its signal stands: the last finding delivered and never retracted, every earlier one retracted.
      for (const r of rows.slice(0, -1)) checkRetracted(r);
      foundAgain += rows.length - 1;
      if (standing.retracted || retractionOf.has(standing.alert_key))
        differences.push(`alert retracted though its signal stands (not alerted again): ${standing.alert_key}`);
      checkDelivered(standing);
    } else if (withdrawnSignals.has(`${analyzerOfRule[rule ?? ''] ?? '?'}|${barIso}|${type}`)) {
      onWithdrawn += rows.length;
      for (const r of rows) checkRetracted(r);
    } else if (onCorrected.has(k)) {
      onCorrectedBars += rows.length;
      for (const r of rows) checkDelivered(r);
    } else {
      unexplained = [...unexplained, ...rows.map((r) => r.alert_key)];
      for (const r of rows) checkDelivered(r);
    }
  }
  if (unexplained.length > 0) {
    // What a batch over every stored event, past the alerter's watermark too, says of them; and the signals
    // stored near their bars: tells an alert beyond the watermark from one on a bar since corrected.
    const all = new Set(batchKeys(contract, events));
    for (const key of unexplained) {
      const bar = Date.parse(key.split('|')[3] ?? '');
      const near = signals
        .filter((r) => Math.abs(r.t - bar) <= 5 * MINUTE_MS)
        .map((r) => `${r.a} ${new Date(r.t).toISOString()} ${r.ty} trig ${new Date(r.trig).toISOString()}`);
      differences.push(
        `alert not in the batch evaluation: ${key} (alerter watermark ${new Date(watermark).toISOString()}; ${all.has(engineKey(key)) ? 'in' : 'not in'} a batch over every stored event; signals within 5 min: ${near.join(', ') || 'none'})`,
      );
    }
  }
  const knownKeys = new Set([...stored.rows, ...retractions.rows].map((r) => r.idempotency_key));
  for (const k of accepted) if (!knownKeys.has(k)) differences.push(`receiver accepted an unknown key ${k}`);
  return {
    alertsExpected: expected.length,
    alertsStored: stored.rows.length,
    deliveriesDelivered: delivered,
    redeliveries: receiver.repeats.length,
    missing: missing.length,
    withdrawnSignals: withdrawnSignals.size,
    onWithdrawnSignals: onWithdrawn,
    retractionsDelivered,
    cancelledBeforeSending,
    foundAgain,
    barsCorrected: corrections.length,
    onCorrectedBars,
    differences,
  };
}

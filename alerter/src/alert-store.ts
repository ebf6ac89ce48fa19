// Stores what one evaluation step produced, atomically: the new alerts (a key already stored is left as
// it is), one delivery row and one queue job per (new alert, destination that takes its severity), the
// alerter's watermark, and one alert_created NOTIFY per new alert. Committed together or not at all.
import { channels, type Alert, type AlertCreatedMessage } from '@barstream/core';
import { inTransaction, notifyAll, type Pool, type PoolClient } from '@barstream/core/node';
import type { DeliveryQueue } from './delivery-queue.ts';
import { UPSERT_EVALUATED_XMIN } from './evaluated-xmin.ts';

/** The alerter's row in analyzer_watermarks: every event known at or before it has been evaluated. */
export const WATERMARK_ID = { analyzerId: 'alerter', contractId: '*', timeframe: '*' } as const;
/** Its second row, written once at the very first start: events known at or before it raise no alert
 * (history stored before the alerter first ran, or backfilled behind that moment, only warms it up). */
export const ALERTS_FROM_ID = { analyzerId: 'alerter', contractId: '*', timeframe: 'alerts_from' } as const;

/**
 * The new alerts and, in the same statement (one round trip), their deliveries: one per destination that
 * takes the alert's severity, its idempotency key sha256(alert_key|destination_id), stable across retries
 * and restarts. Answers each new alert with the destinations it is delivered to, in the engine's order.
 *
 * A setup found again after its alert was retracted (a withdrawn signal the analyzer re-finds at a later
 * trigger bar: the same rule, contract, timeframe, bar and setup) is a new alert: its key is the engine's
 * with `|found <n>` (n = 1 + the retracted alerts of that setup), so the retracted
 * one's key does not swallow it, and evaluating the same event again still lands on the stored key.
 */
const INSERT_ALERTS = `
WITH keyed AS (
SELECT a.*, CASE WHEN f.retracted = 0 THEN a.key ELSE a.key || '|found ' || (f.retracted + 1) END AS stored_key
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
              $9::float8[], $10::float8[], $11::float8[], $12::float8[], $13::float8[], $14::float8[], $15::jsonb[], $16::text[])
       WITH ORDINALITY AS a(key, rule, rule_type, contract_id, timeframe, setup, severity, direction, bar_time, known_at, entry,
            stop_loss, target, confidence, details, link, ord)
 CROSS JOIN LATERAL (
   SELECT count(*) AS retracted FROM alerts p -- alerts_series_bar_idx
    WHERE p.contract_id = a.contract_id AND p.timeframe = a.timeframe AND p.bar_time = to_timestamp(a.bar_time / 1000)
      AND p.rule_name = a.rule AND p.setup_type = a.setup AND p.retracted_at IS NOT NULL) f),
inserted AS (
INSERT INTO alerts (alert_key, rule_id, rule_name, rule_type, contract_id, timeframe, setup_type, severity, direction,
                    bar_time, known_at, entry_price, stop_loss, target, confidence, details, link)
SELECT a.stored_key, r.rule_id, a.rule, a.rule_type, a.contract_id, a.timeframe, a.setup, a.severity, a.direction,
       to_timestamp(a.bar_time / 1000), to_timestamp(a.known_at / 1000), a.entry, a.stop_loss, a.target, a.confidence, a.details, a.link
  FROM keyed a
  LEFT JOIN rules r ON r.name = a.rule
 ORDER BY a.ord -- alert ids in the engine's order
ON CONFLICT (alert_key) DO NOTHING
RETURNING alert_id, alert_key, rule_name, contract_id, timeframe, setup_type, severity, direction, entry_price, link,
  to_char(bar_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS bar_time,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at),
deliveries AS (
INSERT INTO alert_deliveries (alert_id, destination_id, idempotency_key)
SELECT a.alert_id, d.destination_id, encode(sha256(convert_to(a.alert_key || '|' || d.destination_id::text, 'UTF8')), 'hex')
  FROM inserted a
  JOIN alert_destinations d ON d.is_active
   AND array_position(ARRAY['info', 'warning', 'critical'], a.severity) >= array_position(ARRAY['info', 'warning', 'critical'], d.min_severity)
RETURNING alert_id, destination_id)
SELECT i.*, ARRAY(SELECT d.destination_id FROM deliveries d WHERE d.alert_id = i.alert_id ORDER BY d.destination_id) AS destinations
  FROM inserted i
 ORDER BY (SELECT min(k.ord) FROM keyed k WHERE k.stored_key = i.alert_key) -- a toast list shows them as they were raised`;

const UPSERT_WATERMARK = `
INSERT INTO analyzer_watermarks (analyzer_id, contract_id, timeframe, last_processed_timestamp, updated_at)
VALUES ($1, $2, $3, to_timestamp($4::float8 / 1000), now())
ON CONFLICT (analyzer_id, contract_id, timeframe)
DO UPDATE SET last_processed_timestamp = EXCLUDED.last_processed_timestamp, updated_at = now()`;

interface InsertedAlert {
  alert_id: string;
  alert_key: string;
  rule_name: string;
  contract_id: string;
  timeframe: string;
  setup_type: string;
  severity: AlertCreatedMessage['severity'];
  direction: AlertCreatedMessage['direction'];
  entry_price: number | null;
  link: string;
  bar_time: string;
  created_at: string;
  destinations: string[];
}

export interface StoreResult {
  readonly alerts: number;
  readonly deliveries: number;
}

/** The alerts (already in the engine's order), the new watermark and the evaluated position
 * (alerter_progress, evaluated-xmin.ts), each when given, in one transaction. */
export async function storeStep(
  pool: Pool,
  queue: DeliveryQueue,
  alerts: readonly Alert[],
  watermarkMs: number | undefined,
  evaluatedXmin?: string,
): Promise<StoreResult> {
  if (alerts.length === 0 && watermarkMs === undefined && evaluatedXmin === undefined) return { alerts: 0, deliveries: 0 };
  return inTransaction(pool, async (client) => {
    const result = alerts.length === 0 ? { alerts: 0, deliveries: 0 } : await storeAlerts(client, queue, alerts);
    const mark = [WATERMARK_ID.analyzerId, WATERMARK_ID.contractId, WATERMARK_ID.timeframe, watermarkMs];
    if (watermarkMs !== undefined && evaluatedXmin !== undefined) {
      // One round trip for both (on the path from a stored signal to its alert).
      await client.query(`WITH watermark AS (${UPSERT_WATERMARK}) ${UPSERT_EVALUATED_XMIN.replace('$1', '$5')}`, [...mark, evaluatedXmin]);
    } else if (watermarkMs !== undefined) {
      await client.query(UPSERT_WATERMARK, mark);
    } else if (evaluatedXmin !== undefined) {
      await client.query(UPSERT_EVALUATED_XMIN, [evaluatedXmin]);
    }
    return result;
  });
}

async function storeAlerts(client: PoolClient, queue: DeliveryQueue, alerts: readonly Alert[]): Promise<StoreResult> {
  const col = <T>(f: (a: Alert) => T): T[] => alerts.map(f);
  const { rows } = await client.query<InsertedAlert>(INSERT_ALERTS, [
    col((a) => a.key),
    col((a) => a.rule),
    col((a) => a.ruleType),
    col((a) => a.contractId),
    col((a) => a.timeframe),
    col((a) => a.setup),
    col((a) => a.severity),
    col((a) => a.direction),
    col((a) => a.barTime),
    col((a) => a.knownAt),
    col((a) => a.entry),
    col((a) => a.stopLoss),
    col((a) => a.target),
    col((a) => a.confidence),
    col((a) => JSON.stringify(a.details)),
    col((a) => a.trendsLink),
  ]);
  if (rows.length === 0) return { alerts: 0, deliveries: 0 };
  const deliveries = rows.flatMap((r) =>
    r.destinations.map((d) => ({ alertId: Number(r.alert_id), destinationId: Number(d), attempt: 1 })),
  );
  await queue.enqueue(client, deliveries);
  await notifyAll(
    client,
    'alertCreated',
    rows.map((r) => {
      const message: AlertCreatedMessage = {
        type: 'alert_created',
        alert_id: Number(r.alert_id),
        rule: r.rule_name,
        contract_id: r.contract_id,
        timeframe: r.timeframe,
        setup_type: r.setup_type,
        severity: r.severity,
        direction: r.direction,
        bar_time: r.bar_time,
        entry_price: r.entry_price,
        created_at: r.created_at,
        link: r.link,
      };
      return JSON.stringify(channels.alertCreated.schema.parse(message));
    }),
  );
  return { alerts: rows.length, deliveries: deliveries.length };
}

async function readMark(pool: Pool, id: { analyzerId: string; contractId: string; timeframe: string }): Promise<number | undefined> {
  const { rows } = await pool.query<{ t: number }>(
    `SELECT (extract(epoch FROM last_processed_timestamp) * 1000)::float8 AS t FROM analyzer_watermarks
      WHERE analyzer_id = $1 AND contract_id = $2 AND timeframe = $3`,
    [id.analyzerId, id.contractId, id.timeframe],
  );
  return rows[0]?.t;
}

/** The alerter's watermark (epoch ms), or undefined before its first start. */
export function readWatermark(pool: Pool): Promise<number | undefined> {
  return readMark(pool, WATERMARK_ID);
}

/** Events known at or before this raise no alert; undefined: every event may. */
export function readAlertsFrom(pool: Pool): Promise<number | undefined> {
  return readMark(pool, ALERTS_FROM_ID);
}

/** The first start: watermark and alerts-from at the same instant (a concurrent first start keeps the first). */
export async function storeFirstStart(pool: Pool, atMs: number): Promise<void> {
  await pool.query(
    `INSERT INTO analyzer_watermarks (analyzer_id, contract_id, timeframe, last_processed_timestamp)
     VALUES ($1, $2, $3, to_timestamp($5::float8 / 1000)), ($1, $2, $4, to_timestamp($5::float8 / 1000))
     ON CONFLICT (analyzer_id, contract_id, timeframe) DO NOTHING`,
    [WATERMARK_ID.analyzerId, WATERMARK_ID.contractId, WATERMARK_ID.timeframe, ALERTS_FROM_ID.timeframe, atMs],
  );
}

// Reads deliveries' alerts and destinations as a sender receives them (DeliveredAlert, DeliveryDestination):
// one query for a whole fetched batch of jobs.
import { retractionReason, type DeliveredAlert, type DeliveryDestination, type DestinationKind } from '@barstream/core';
import type { Pool } from '@barstream/core/node';
import type { DeliveryKind } from './delivery-queue.ts';

export interface DeliveryContext {
  readonly kind: DeliveryKind;
  readonly idempotencyKey: string;
  readonly status: 'held' | 'queued' | 'retrying' | 'delivered' | 'dead' | 'cancelled';
  readonly attempts: number;
  /** ISO: when the alert's signal was found withdrawn (null: it stands). */
  readonly retractedAt: string | null;
  /** What a retraction of it says: which signal it stood on was withdrawn (retraction-reason.ts). */
  readonly retractionReason: string;
  readonly alert: DeliveredAlert;
  readonly destination: DeliveryDestination;
}

const READ = `
SELECT d.kind AS delivery_kind, d.idempotency_key, d.status, d.attempts,
       to_char(a.retracted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS retracted_at,
       a.alert_id, a.rule_name, a.rule_type, a.contract_id, a.timeframe, a.setup_type, a.severity, a.direction,
       to_char(a.bar_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS bar_time,
       to_char(a.known_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS known_at,
       a.entry_price, a.stop_loss, a.target, a.confidence, a.details, a.link,
       to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
       t.destination_id, t.name, t.kind, t.config, t.secret,
       w.timeframe AS withdrawn_timeframe, w.signal_type AS withdrawn_type,
       to_char(w."timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS withdrawn_bar_time
  FROM alert_deliveries d
  JOIN alerts a ON a.alert_id = d.alert_id
  JOIN alert_destinations t ON t.destination_id = d.destination_id
  LEFT JOIN signal_withdrawals w ON w.withdrawal_id = a.retracted_by
 WHERE (d.alert_id, d.destination_id, d.kind) IN (SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[]))`;

interface Row {
  delivery_kind: DeliveryKind;
  idempotency_key: string;
  status: DeliveryContext['status'];
  attempts: number;
  retracted_at: string | null;
  alert_id: string;
  rule_name: string;
  rule_type: string;
  contract_id: string;
  timeframe: string;
  setup_type: string;
  severity: DeliveredAlert['severity'];
  direction: DeliveredAlert['direction'];
  bar_time: string;
  known_at: string;
  entry_price: number | null;
  stop_loss: number | null;
  target: number | null;
  confidence: number;
  details: DeliveredAlert['details'];
  link: string;
  created_at: string;
  destination_id: string;
  name: string;
  kind: DestinationKind;
  config: Record<string, unknown>;
  secret: string | null;
  withdrawn_timeframe: string | null;
  withdrawn_type: string | null;
  withdrawn_bar_time: string | null;
}

/** An absolute link when the web's public URL is known, else the /trends path as stored. */
export function absoluteLink(link: string, publicWebUrl: string | undefined): string {
  return publicWebUrl === undefined ? link : new URL(link, publicWebUrl).toString();
}

/** The key of a delivery in the map readDeliveries answers. */
export function deliveryKey(alertId: number, destinationId: number, kind: DeliveryKind = 'alert'): string {
  return `${alertId}|${destinationId}|${kind}`;
}

/** The deliveries that still exist (a deleted delivery, alert or destination is absent), by deliveryKey. */
export async function readDeliveries(
  pool: Pool,
  ids: readonly { readonly alertId: number; readonly destinationId: number; readonly kind?: DeliveryKind }[],
  publicWebUrl?: string,
): Promise<Map<string, DeliveryContext>> {
  const found = new Map<string, DeliveryContext>();
  if (ids.length === 0) return found;
  const { rows } = await pool.query<Row>(READ, [
    ids.map((i) => i.alertId),
    ids.map((i) => i.destinationId),
    ids.map((i) => i.kind ?? 'alert'),
  ]);
  for (const r of rows) found.set(deliveryKey(Number(r.alert_id), Number(r.destination_id), r.delivery_kind), toContext(r, publicWebUrl));
  return found;
}

function toContext(r: Row, publicWebUrl: string | undefined): DeliveryContext {
  const alert: DeliveredAlert = {
    alert_id: Number(r.alert_id),
    rule: r.rule_name,
    rule_type: r.rule_type,
    contract_id: r.contract_id,
    timeframe: r.timeframe,
    setup_type: r.setup_type,
    severity: r.severity,
    direction: r.direction,
    bar_time: r.bar_time,
    known_at: r.known_at,
    entry_price: r.entry_price,
    stop_loss: r.stop_loss,
    target: r.target,
    confidence: r.confidence,
    details: r.details,
    link: absoluteLink(r.link, publicWebUrl),
    created_at: r.created_at,
  };
  const withdrawn =
    r.withdrawn_timeframe === null || r.withdrawn_type === null || r.withdrawn_bar_time === null
      ? null
      : { timeframe: r.withdrawn_timeframe, signal_type: r.withdrawn_type, bar_time: r.withdrawn_bar_time };
  return {
    kind: r.delivery_kind,
    idempotencyKey: r.idempotency_key,
    status: r.status,
    attempts: r.attempts,
    retractedAt: r.retracted_at,
    retractionReason: retractionReason(alert, withdrawn),
    alert,
    destination: { id: Number(r.destination_id), name: r.name, kind: r.kind, config: r.config, secret: r.secret },
  };
}

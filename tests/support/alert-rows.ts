// Stored alerts as the alerter writes them (alerts, alert_destinations, alert_deliveries and their
// attempts) for the API and page tests, which run without the alerter; and the alert_created NOTIFY
// it sends, for the live tests.
import type pg from 'pg';
import { trendsHref } from '../../core/src/trends-href.ts';
import type { AlertCreatedMessage } from '../../core/src/schemas/alert-message.ts';

export interface AlertRowInput {
  readonly rule: string;
  readonly contractId: string;
  readonly timeframe?: string;
  readonly setupType?: string;
  readonly severity?: 'info' | 'warning' | 'critical';
  readonly direction?: 'long' | 'short' | 'none';
  readonly barTime: Date;
  readonly entryPrice?: number | null;
  readonly isRead?: boolean;
  readonly createdAt?: Date;
}

export interface StoredAlert {
  readonly id: number;
  readonly message: AlertCreatedMessage;
}

/** Inserts one alert (and, with `notify`, sends its alert_created in the same transaction). */
export async function insertAlert(client: pg.Client, a: AlertRowInput, notify = false): Promise<StoredAlert> {
  const timeframe = a.timeframe ?? '5m';
  const setup = a.setupType ?? 'uptrend_start';
  const key = `${a.rule}|${a.contractId}|${timeframe}|${a.barTime.toISOString()}|${setup}`;
  const link = trendsHref(a.contractId, timeframe, a.barTime.getTime());
  await client.query('BEGIN');
  try {
    const { rows } = await client.query<{ alert_id: string; created_at: Date }>(
      `INSERT INTO alerts (alert_key, rule_name, rule_type, contract_id, timeframe, setup_type, severity, direction, bar_time,
         known_at, entry_price, stop_loss, target, confidence, details, link, is_read, created_at)
       VALUES ($1, $2, 'signal', $3, $4, $5, $6, $7, $8, $8, $9, $10, $11, 0.7, '{"close": 5000.25}', $12, $13, coalesce($14, now()))
       RETURNING alert_id, created_at`,
      [
        key,
        a.rule,
        a.contractId,
        timeframe,
        setup,
        a.severity ?? 'info',
        a.direction ?? 'long',
        a.barTime,
        a.entryPrice === undefined ? 5000.25 : a.entryPrice,
        a.entryPrice === null ? null : 4990,
        a.entryPrice === null ? null : 5020,
        link,
        a.isRead ?? false,
        a.createdAt ?? null,
      ],
    );
    const row = rows[0]!;
    const message: AlertCreatedMessage = {
      type: 'alert_created',
      alert_id: Number(row.alert_id),
      rule: a.rule,
      contract_id: a.contractId,
      timeframe,
      setup_type: setup,
      severity: a.severity ?? 'info',
      direction: a.direction ?? 'long',
      bar_time: a.barTime.toISOString(),
      entry_price: a.entryPrice === undefined ? 5000.25 : a.entryPrice,
      created_at: row.created_at.toISOString(),
      link,
    };
    if (notify) await client.query(`SELECT pg_notify('alert_created', $1)`, [JSON.stringify(message)]);
    await client.query('COMMIT');
    return { id: message.alert_id, message };
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  }
}

/** A webhook destination with a secret. */
export async function insertDestination(client: pg.Client, name: string): Promise<number> {
  const { rows } = await client.query<{ destination_id: string }>(
    `INSERT INTO alert_destinations (name, kind, config, secret) VALUES ($1, 'webhook', '{"url": "http://127.0.0.1:9/hook"}', 'shh-secret')
     RETURNING destination_id`,
    [name],
  );
  return Number(rows[0]!.destination_id);
}

/** A delivery of an alert to a destination with its attempts (ok flags in order); status from the last. */
export async function insertDelivery(
  client: pg.Client,
  alertId: number,
  destinationId: number,
  attempts: readonly boolean[],
): Promise<void> {
  const last = attempts.at(-1);
  const status = last === undefined ? 'queued' : last ? 'delivered' : 'retrying';
  await client.query(
    `INSERT INTO alert_deliveries (alert_id, destination_id, idempotency_key, status, attempts, last_error)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [alertId, destinationId, `${alertId}:${destinationId}`, status, attempts.length, last === false ? 'HTTP 500' : null],
  );
  for (const [i, ok] of attempts.entries()) {
    await client.query(
      `INSERT INTO alert_delivery_attempts (alert_id, destination_id, attempt, ok, status_code, error, duration_ms)
       VALUES ($1, $2, $3, $4, $5, $6, 12.5)`,
      [alertId, destinationId, i + 1, ok, ok ? 200 : 500, ok ? null : 'HTTP 500'],
    );
  }
}

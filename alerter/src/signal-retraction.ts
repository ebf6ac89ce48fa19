// Retracts alerts whose signal the analyzer withdrew (signal_withdrawals, migration 019), through the
// same outbox as the alerts (alert_deliveries, kind 'retraction'), in one transaction per pass:
//  1. a withdrawal is judged once the target's re-run has passed its trigger bar (the analyzer's watermark
//     of that target at or after it): a signal of the same identity stored again by the re-run is no
//     withdrawal (restored); a full recompute (watermark deleted) waits for the watermark to come back;
//  2. the signal and confluence alerts about a withdrawn signal (same contract, timeframe, bar, analyzer
//     and type) not yet retracted are marked retracted;
//  3. per delivery of those alerts: delivered → a retraction queued now (idempotency key from the alert
//     key, so a crash or restart never sends it twice); queued or retrying → a retraction held until that
//     delivery is final; dead → nothing (the destination never got the alert);
//  4. held retractions whose alert's delivery is final are released (delivered → queued) or cancelled
//     (dead, or cancelled: the worker does not send an alert withdrawn before it was sent).
// A crash before COMMIT leaves the withdrawals pending: the next pass does it all again.
import { inTransaction, type Pool, type PoolClient } from '@barstream/core/node';
import type { DeliveryJob, DeliveryQueue } from './delivery-queue.ts';

/** Withdrawals judged per transaction: a full recompute withdraws every signal of a target. */
const JUDGED_PER_PASS = 5_000;

const JUDGE = `
WITH due AS (
  SELECT w.withdrawal_id FROM signal_withdrawals w
    JOIN analyzer_watermarks m ON m.analyzer_id = w.analyzer_id AND m.contract_id = w.contract_id AND m.timeframe = w.timeframe
   WHERE w.handled_at IS NULL AND m.last_processed_timestamp >= w.trigger_time
   ORDER BY w.withdrawal_id
   LIMIT $1
   FOR UPDATE OF w SKIP LOCKED)
UPDATE signal_withdrawals w SET handled_at = now(), restored = EXISTS (
    SELECT 1 FROM detected_signals s
     WHERE s.contract_id = w.contract_id AND s.timeframe = w.timeframe AND s."timestamp" = w."timestamp"
       AND s.analyzer_id = w.analyzer_id AND s.signal_type = w.signal_type)
  FROM due
 WHERE w.withdrawal_id = due.withdrawal_id
RETURNING w.withdrawal_id, w.restored`;

const RETRACT_ALERTS = `
UPDATE alerts a SET retracted_at = now(), retracted_by = w.withdrawal_id
  FROM signal_withdrawals w
 WHERE w.withdrawal_id = ANY($1::bigint[]) AND NOT w.restored
   AND a.retracted_at IS NULL AND a.contract_id = w.contract_id AND a.timeframe = w.timeframe AND a.bar_time = w."timestamp"
   AND a.rule_type IN ('signal', 'confluence')
   AND a.details->>'analyzer_id' = w.analyzer_id AND a.details->>'signal_type' = w.signal_type
RETURNING a.alert_id`;

/** One retraction per delivery of a retracted alert that may have reached its destination. */
const ENQUEUE_RETRACTIONS = `
INSERT INTO alert_deliveries (alert_id, destination_id, kind, idempotency_key, status)
SELECT d.alert_id, d.destination_id, 'retraction',
       encode(sha256(convert_to(a.alert_key || '|' || d.destination_id::text || '|retraction', 'UTF8')), 'hex'),
       CASE WHEN d.status = 'delivered' THEN 'queued' ELSE 'held' END
  FROM alert_deliveries d JOIN alerts a ON a.alert_id = d.alert_id
 WHERE d.alert_id = ANY($1::bigint[]) AND d.kind = 'alert' AND d.status IN ('queued', 'retrying', 'delivered')
ON CONFLICT DO NOTHING
RETURNING alert_id, destination_id, status`;

const RESOLVE_HELD = `
UPDATE alert_deliveries r SET status = CASE WHEN d.status = 'delivered' THEN 'queued' ELSE 'cancelled' END,
       last_error = CASE WHEN d.status = 'delivered' THEN NULL ELSE 'the alert never reached this destination' END
  FROM alert_deliveries d
 WHERE r.status = 'held' AND r.kind = 'retraction'
   AND d.alert_id = r.alert_id AND d.destination_id = r.destination_id AND d.kind = 'alert'
   AND d.status IN ('delivered', 'dead', 'cancelled')
RETURNING r.alert_id, r.destination_id, r.status`;

export interface RetractionResult {
  /** Withdrawals judged (restored ones included). */
  readonly judged: number;
  readonly alertsRetracted: number;
  /** Retraction jobs enqueued (released held ones included). */
  readonly enqueued: number;
}

type Row = { alert_id: string; destination_id: string; status: string };

const jobsOf = (rows: readonly Row[]): DeliveryJob[] =>
  rows
    .filter((r) => r.status === 'queued')
    .map((r) => ({ alertId: Number(r.alert_id), destinationId: Number(r.destination_id), attempt: 1, kind: 'retraction' }));

/** One pass: judges due withdrawals, retracts their alerts, enqueues and releases retractions. */
export async function retractWithdrawnSignals(pool: Pool, queue: DeliveryQueue): Promise<RetractionResult> {
  return inTransaction(pool, async (client) => {
    const judged = await client.query<{ withdrawal_id: string; restored: boolean }>(JUDGE, [JUDGED_PER_PASS]);
    const withdrawn = judged.rows.filter((r) => !r.restored).map((r) => r.withdrawal_id);
    const retracted = withdrawn.length === 0 ? [] : (await client.query<{ alert_id: string }>(RETRACT_ALERTS, [withdrawn])).rows;
    const queued =
      retracted.length === 0
        ? []
        : await enqueue(
            client,
            retracted.map((r) => r.alert_id),
          );
    const released = (await client.query<Row>(RESOLVE_HELD)).rows;
    const jobs = [...jobsOf(queued), ...jobsOf(released)];
    await queue.enqueue(client, jobs);
    return { judged: judged.rows.length, alertsRetracted: retracted.length, enqueued: jobs.length };
  });
}

async function enqueue(client: PoolClient, alertIds: readonly string[]): Promise<Row[]> {
  return (await client.query<Row>(ENQUEUE_RETRACTIONS, [alertIds])).rows;
}

/** Whether a pass has anything to do: a withdrawal due for judging or a retraction held (cheap: partial
 * indexes). A withdrawal whose target's watermark never comes back (a target removed from the settings
 * mid-recompute) stays pending without costing a transaction per step. */
export async function retractionsPending(pool: Pool): Promise<boolean> {
  const { rows } = await pool.query<{ pending: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM signal_withdrawals w
                      JOIN analyzer_watermarks m ON m.analyzer_id = w.analyzer_id AND m.contract_id = w.contract_id AND m.timeframe = w.timeframe
                     WHERE w.handled_at IS NULL AND m.last_processed_timestamp >= w.trigger_time)
         OR EXISTS (SELECT 1 FROM alert_deliveries WHERE status = 'held') AS pending`,
  );
  return rows[0]?.pending ?? false;
}

// Retracts alerts whose signal the analyzer withdrew (signal_withdrawals, migration 019), through the
// same outbox as the alerts (alert_deliveries, kind 'retraction'), in one transaction per pass:
//  1. a withdrawal is judged once the target's re-run has passed its trigger bar (the analyzer's watermark
//     of that target at or after it): a signal of the same identity stored again by the re-run is no
//     withdrawal (restored); a full recompute (watermark deleted) waits for the watermark to come back;
//  2. the signal alerts about a withdrawn signal (same contract, timeframe, bar, analyzer and type), and
//     the confluence alerts it triggered, not yet retracted, are marked retracted;
//  3. a confluence alert whose higher-timeframe trend signal was withdrawn is retracted when the
//     confluence no longer holds: when the rules, evaluated again over what is stored now from that
//     signal's instant on (`recheck`), no longer raise its key (another trend signal in force may uphold it);
//  4. per delivery of those alerts: delivered → a retraction queued now (idempotency key from the alert
//     key, so a crash or restart never sends it twice); queued or retrying → a retraction held until that
//     delivery is final; dead → nothing (the destination never got the alert);
//  5. held retractions whose alert's delivery is final are released (delivered → queued) or cancelled
//     (dead, or cancelled: the worker does not send an alert withdrawn before it was sent).
// A crash before COMMIT leaves the withdrawals pending: the next pass does it all again. Which part was
// withdrawn is read from retracted_by when the retraction is sent (retraction-reason.ts names it).
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
RETURNING w.withdrawal_id, w.restored, w.analyzer_id, w.contract_id, w.timeframe, w.signal_type,
          (extract(epoch FROM w."timestamp") * 1000)::float8 AS bar_ms, (extract(epoch FROM w.trigger_time) * 1000)::float8 AS trigger_ms`;

const RETRACT_ALERTS = `
UPDATE alerts a SET retracted_at = now(), retracted_by = w.withdrawal_id
  FROM signal_withdrawals w
 WHERE w.withdrawal_id = ANY($1::bigint[]) AND NOT w.restored
   AND a.retracted_at IS NULL AND a.contract_id = w.contract_id AND a.timeframe = w.timeframe AND a.bar_time = w."timestamp"
   AND a.rule_type IN ('signal', 'confluence')
   AND a.details->>'analyzer_id' = w.analyzer_id AND a.details->>'signal_type' = w.signal_type
RETURNING a.alert_id`;

/** Confluence alerts standing on a withdrawn higher-timeframe trend signal (details written by
 * confluence-rule.ts; alerts from before higher_analyzer_id was written match on the rest), with the key
 * the engine gives them (a setup found again is stored with `|found <n>`: alert-store.ts). */
const QUESTIONED = `
SELECT a.alert_id, w.withdrawal_id, regexp_replace(a.alert_key, '\\|found [0-9]+$', '') AS engine_key
  FROM signal_withdrawals w
  JOIN alerts a ON a.contract_id = w.contract_id AND a.rule_type = 'confluence' AND a.retracted_at IS NULL
   AND a.details->>'higher_timeframe' = w.timeframe AND a.details->>'higher_signal_type' = w.signal_type
   AND (a.details->>'higher_signal_time')::timestamptz = w."timestamp"
   AND coalesce(a.details->>'higher_analyzer_id', w.analyzer_id) = w.analyzer_id
 WHERE w.withdrawal_id = ANY($1::bigint[]) AND NOT w.restored
 ORDER BY a.alert_id, w.withdrawal_id`;

const RETRACT_BY = `
UPDATE alerts a SET retracted_at = now(), retracted_by = x.withdrawal_id
  FROM unnest($1::bigint[], $2::bigint[]) AS x(alert_id, withdrawal_id)
 WHERE a.alert_id = x.alert_id AND a.retracted_at IS NULL
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

/** A signal found withdrawn (not restored) by a pass. */
export interface WithdrawnSignal {
  readonly analyzerId: string;
  readonly contractId: string;
  readonly timeframe: string;
  /** Open time (epoch ms) of the signal's bar, and its type. */
  readonly barTime: number;
  readonly type: string;
  /** Open time (epoch ms) of the bar that made it knowable. */
  readonly triggerTime: number;
}

/** The alert keys the rules raise when evaluated again, over what is stored now, from the earliest of
 * these signals' instants up to the evaluation's watermark. */
export type Recheck = (from: readonly WithdrawnSignal[]) => Promise<ReadonlySet<string>>;

export interface RetractionResult {
  /** Withdrawals judged (restored ones included). */
  readonly judged: number;
  /** The signals judged withdrawn (restored ones left out). */
  readonly withdrawn: readonly WithdrawnSignal[];
  readonly alertsRetracted: number;
  /** Of those, confluence alerts retracted because their higher-timeframe signal was withdrawn. */
  readonly confluencesRetracted: number;
  /** Retraction jobs enqueued (released held ones included). */
  readonly enqueued: number;
}

type Row = { alert_id: string; destination_id: string; status: string };

const jobsOf = (rows: readonly Row[]): DeliveryJob[] =>
  rows
    .filter((r) => r.status === 'queued')
    .map((r) => ({ alertId: Number(r.alert_id), destinationId: Number(r.destination_id), attempt: 1, kind: 'retraction' }));

/** One pass: judges due withdrawals, retracts their alerts, enqueues and releases retractions. */
export async function retractWithdrawnSignals(pool: Pool, queue: DeliveryQueue, recheck: Recheck): Promise<RetractionResult> {
  return inTransaction(pool, async (client) => {
    const judged = await client.query<Judged>(JUDGE, [JUDGED_PER_PASS]);
    const gone = judged.rows.filter((r) => !r.restored);
    const withdrawn = gone.map((r) => r.withdrawal_id);
    const retracted = withdrawn.length === 0 ? [] : (await client.query<{ alert_id: string }>(RETRACT_ALERTS, [withdrawn])).rows;
    const unheld = withdrawn.length === 0 ? [] : await retractUnheldConfluences(client, withdrawn, gone, recheck);
    const alertIds = [...retracted, ...unheld].map((r) => r.alert_id);
    const queued = alertIds.length === 0 ? [] : await enqueue(client, alertIds);
    const released = (await client.query<Row>(RESOLVE_HELD)).rows;
    const jobs = [...jobsOf(queued), ...jobsOf(released)];
    await queue.enqueue(client, jobs);
    return {
      judged: judged.rows.length,
      withdrawn: gone.map(withdrawnSignal),
      alertsRetracted: alertIds.length,
      confluencesRetracted: unheld.length,
      enqueued: jobs.length,
    };
  });
}

interface Judged {
  withdrawal_id: string;
  restored: boolean;
  analyzer_id: string;
  contract_id: string;
  timeframe: string;
  signal_type: string;
  bar_ms: number;
  trigger_ms: number;
}

const withdrawnSignal = (r: Judged): WithdrawnSignal => ({
  analyzerId: r.analyzer_id,
  contractId: r.contract_id,
  timeframe: r.timeframe,
  barTime: r.bar_ms,
  type: r.signal_type,
  triggerTime: r.trigger_ms,
});

/** Step 3: the confluence alerts on a withdrawn higher-timeframe signal that the rules no longer raise. */
async function retractUnheldConfluences(
  client: PoolClient,
  withdrawn: readonly string[],
  gone: readonly Judged[],
  recheck: Recheck,
): Promise<{ alert_id: string }[]> {
  const questioned = (await client.query<{ alert_id: string; withdrawal_id: string; engine_key: string }>(QUESTIONED, [withdrawn])).rows;
  if (questioned.length === 0) return [];
  const byId = new Map(gone.map((r) => [r.withdrawal_id, r]));
  const from = questioned.map((q) => byId.get(q.withdrawal_id)!);
  const raised = await recheck(from.map(withdrawnSignal));
  // One withdrawal per alert (the first: an alert stands on one higher signal).
  const unheld = new Map<string, string>();
  for (const q of questioned) if (!raised.has(q.engine_key) && !unheld.has(q.alert_id)) unheld.set(q.alert_id, q.withdrawal_id);
  if (unheld.size === 0) return [];
  return (await client.query<{ alert_id: string }>(RETRACT_BY, [[...unheld.keys()], [...unheld.values()]])).rows;
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

// Records delivery attempts' outcomes in groups (group commit): outcomes that arrive while a commit is
// in flight join the next one, so under load one transaction records a whole batch — the attempt rows,
// the deliveries' states, the next attempts' jobs and the jobs' completion — and a lone outcome is
// committed at once. Either every outcome of a group is recorded or none is (its jobs stay active,
// expire and are re-run: the receiver sees the same idempotency key again).
import { inTransaction, type Pool, type PoolClient } from '@barstream/core/node';
import { deliveryKey } from './delivered-alert.ts';
import type { DeliveryJob, DeliveryKind, DeliveryQueue } from './delivery-queue.ts';

export interface AttemptRecord {
  readonly job: DeliveryJob;
  readonly status: 'delivered' | 'retrying' | 'dead';
  readonly ok: boolean;
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly durationMs: number;
  /** With status 'retrying': the next attempt is due then. */
  readonly retryAt?: Date;
}

/** A job to complete; with `attempt`, that attempt's outcome is recorded beside it; with `cancel`, the
 * alert it would have sent was withdrawn before it was sent: its delivery is cancelled, nothing sent. */
export interface JobOutcome {
  readonly jobId: string;
  readonly attempt?: AttemptRecord;
  readonly cancel?: DeliveryJob;
}

/**
 * Records each attempt's outcome when it is the delivery's next attempt (a stale re-run changes
 * nothing); answers the (alert, destination) pairs it recorded. A job is active in one alerter at a
 * time, so two groups share a row only after an expiry; if they deadlock, one group fails and is re-run.
 */
const RECORD_OUTCOMES = `
WITH o AS (
  SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::int[], $4::text[], $5::text[], $6::bool[], $7::int[], $8::float8[], $9::text[])
           AS o(alert_id, destination_id, attempt, status, error, ok, status_code, duration_ms, kind)),
updated AS (
  UPDATE alert_deliveries d SET attempts = o.attempt, status = o.status, last_error = o.error, last_attempt_at = now(),
         delivered_at = CASE WHEN o.status = 'delivered' THEN now() ELSE d.delivered_at END
    FROM o
   WHERE d.alert_id = o.alert_id AND d.destination_id = o.destination_id AND d.kind = o.kind
     AND d.attempts = o.attempt - 1 AND d.status IN ('queued', 'retrying')
  RETURNING d.alert_id, d.destination_id, d.kind, o.attempt, o.ok, o.status_code, o.error, o.duration_ms),
attempt AS (
  INSERT INTO alert_delivery_attempts (alert_id, destination_id, kind, attempt, ok, status_code, error, duration_ms)
  SELECT alert_id, destination_id, kind, attempt, ok, status_code, error, duration_ms FROM updated
  ON CONFLICT DO NOTHING)
SELECT alert_id, destination_id, kind FROM updated`;

/** An alert withdrawn before this attempt sent it: cancelled (its held retraction is then cancelled by
 * the retraction sweep, signal-retraction.ts). Only when this attempt is still the delivery's next one. */
const CANCEL_DELIVERIES = `
UPDATE alert_deliveries d SET status = 'cancelled', last_error = 'alert withdrawn before it was sent'
  FROM unnest($1::bigint[], $2::bigint[], $3::int[]) AS o(alert_id, destination_id, attempt)
 WHERE d.alert_id = o.alert_id AND d.destination_id = o.destination_id AND d.kind = 'alert'
   AND d.attempts = o.attempt - 1 AND d.status IN ('queued', 'retrying')`;

interface Pending {
  readonly outcome: JobOutcome;
  readonly resolve: (recorded: boolean) => void;
  readonly reject: (err: Error) => void;
}

export class OutcomeRecorder {
  private pending: Pending[] = [];
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly queue: DeliveryQueue,
  ) {}

  /** Resolves when committed: true when the attempt was recorded (false: stale, or no attempt given). */
  record(outcome: JobOutcome): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.pending.push({ outcome, resolve, reject });
      this.flushing ??= this.flushAll();
    });
  }

  /** Resolves when every outcome handed over so far is committed (or failed). */
  async idle(): Promise<void> {
    await this.flushing;
  }

  private async flushAll(): Promise<void> {
    // Outcomes handed over in the same tick (a batch answered at once) join the first group.
    await Promise.resolve();
    while (this.pending.length > 0) {
      const group = this.pending;
      this.pending = [];
      try {
        const recorded = await inTransaction(this.pool, (client) =>
          this.commit(
            client,
            group.map((p) => p.outcome),
          ),
        );
        group.forEach((p, i) => p.resolve(recorded[i] ?? false));
      } catch (err) {
        for (const p of group) p.reject(err as Error);
      }
    }
    this.flushing = undefined;
  }

  /** One group in the caller's transaction; answers, per outcome, whether its attempt was recorded. */
  private async commit(client: PoolClient, outcomes: readonly JobOutcome[]): Promise<boolean[]> {
    // One outcome per delivery and attempt (a re-run of an expired job beside the original is stale).
    const seen = new Set<string>();
    const attempts: (AttemptRecord | undefined)[] = outcomes.map(({ attempt }) => {
      if (attempt === undefined) return undefined;
      const key = `${deliveryKey(attempt.job.alertId, attempt.job.destinationId, attempt.job.kind)}|${attempt.job.attempt}`;
      if (seen.has(key)) return undefined;
      seen.add(key);
      return attempt;
    });
    const records = attempts.filter((a): a is AttemptRecord => a !== undefined);
    const done = new Set<string>();
    if (records.length > 0) {
      const col = <T>(f: (a: AttemptRecord) => T): T[] => records.map(f);
      const { rows } = await client.query<{ alert_id: string; destination_id: string; kind: DeliveryKind }>(RECORD_OUTCOMES, [
        col((a) => a.job.alertId),
        col((a) => a.job.destinationId),
        col((a) => a.job.attempt),
        col((a) => a.status),
        col((a) => a.error),
        col((a) => a.ok),
        col((a) => a.statusCode),
        col((a) => a.durationMs),
        col((a) => a.job.kind ?? 'alert'),
      ]);
      for (const r of rows) done.add(deliveryKey(Number(r.alert_id), Number(r.destination_id), r.kind));
    }
    const recorded = attempts.map(
      (a) => a !== undefined && done.has(deliveryKey(a.job.alertId, a.job.destinationId, a.job.kind ?? 'alert')),
    );
    const cancels = outcomes.flatMap((o) => (o.cancel === undefined ? [] : [o.cancel]));
    if (cancels.length > 0) {
      await client.query(CANCEL_DELIVERIES, [
        cancels.map((c) => c.alertId),
        cancels.map((c) => c.destinationId),
        cancels.map((c) => c.attempt),
      ]);
    }
    const retries = attempts.flatMap((a, i) =>
      a !== undefined && recorded[i] === true && a.status === 'retrying' && a.retryAt !== undefined
        ? [{ job: { ...a.job, attempt: a.job.attempt + 1 }, startAfter: a.retryAt }]
        : [],
    );
    await this.queue.enqueueRetries(client, retries);
    await this.queue.complete(
      client,
      outcomes.map((o) => o.jobId),
    );
    return recorded;
  }
}

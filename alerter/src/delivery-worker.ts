// Runs delivery attempts: takes due jobs from the queue while it has free slots (up to `concurrency`
// attempts in flight, each bounded by its own timeout, so a hanging destination holds one slot and never
// the others), calls the destination's sender once per job, and records the outcome — the attempt row,
// the delivery's state, the next attempt's job (backoff with jitter, Retry-After honoured) or the
// dead-letter state, and the job's completion — in one transaction.
import type { DeliveryResult } from '@barstream/core';
import { inTransaction, type Logger, type Pool } from '@barstream/core/node';
import { z } from 'zod';
import { readDelivery } from './delivered-alert.ts';
import type { DeliveryJob, DeliveryQueue } from './delivery-queue.ts';
import type { SenderRegistry } from './destinations/senders.ts';
import { nextRetry, type RetryPolicy } from './retry-schedule.ts';

const jobSchema = z.object({
  alertId: z.number().int().positive(),
  destinationId: z.number().int().positive(),
  attempt: z.number().int().positive(),
});

/** Records an attempt's outcome when it is the delivery's next attempt (a stale re-run changes nothing);
 * answers n = 1 when it did. */
const RECORD_OUTCOME = `
WITH updated AS (
  UPDATE alert_deliveries SET attempts = $3, status = $4, last_error = $5, last_attempt_at = now(),
         delivered_at = CASE WHEN $4 = 'delivered' THEN now() ELSE delivered_at END
   WHERE alert_id = $1 AND destination_id = $2 AND attempts = $3 - 1 AND status IN ('queued', 'retrying')
  RETURNING alert_id, destination_id),
attempt AS (
  INSERT INTO alert_delivery_attempts (alert_id, destination_id, attempt, ok, status_code, error, duration_ms)
  SELECT alert_id, destination_id, $3, $6, $7, $5, $8 FROM updated
  ON CONFLICT DO NOTHING)
SELECT count(*)::int AS n FROM updated`;

export interface DeliveryWorkerOptions {
  readonly pool: Pool;
  readonly queue: DeliveryQueue;
  readonly senders: SenderRegistry;
  readonly logger: Logger;
  readonly concurrency: number;
  readonly attemptTimeoutMs: number;
  readonly pollIntervalMs: number;
  readonly retry: RetryPolicy;
  readonly publicWebUrl?: string;
  readonly random?: () => number;
  readonly onOutcome?: (outcome: 'delivered' | 'retrying' | 'dead' | 'stale', durationMs: number) => void;
}

export class DeliveryWorker {
  private inFlight = 0;
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private readonly attempts = new Set<Promise<void>>();

  constructor(private readonly options: DeliveryWorkerOptions) {}

  get active(): number {
    return this.inFlight;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops taking jobs and waits for the attempts in flight (each ends by its timeout at the latest). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake();
    await this.loop;
    await Promise.all(this.attempts);
  }

  /** Jobs may be due now (an alert was just committed, or a slot freed): fetch without waiting for the poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    const { queue, logger, concurrency, pollIntervalMs } = this.options;
    while (this.running) {
      this.woken = false;
      const free = concurrency - this.inFlight;
      let fetched = 0;
      if (free > 0) {
        try {
          const jobs = await queue.fetch(free);
          fetched = jobs.length;
          for (const job of jobs) this.begin(job);
        } catch (err) {
          logger.warn({ err: (err as Error).message }, 'delivery queue fetch failed; retrying at the next poll');
        }
      }
      // Full, or nothing due: sleep until a slot frees, an alert is committed, or the poll interval.
      if (this.running && !this.woken && (fetched === 0 || this.inFlight >= concurrency)) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollIntervalMs);
          this.wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wakeUp = undefined;
      }
    }
  }

  private begin(job: { id: string; data: unknown }): void {
    this.inFlight++;
    const attempt = this.attempt(job)
      .catch((err: unknown) => {
        // The outcome was not recorded (database lost): the job stays active, expires and is re-run.
        this.options.logger.error({ err: (err as Error).message, job: job.id }, 'delivery attempt not recorded; it will be re-run');
      })
      .finally(() => {
        this.inFlight--;
        this.attempts.delete(attempt);
        this.wake();
      });
    this.attempts.add(attempt);
  }

  private async attempt(job: { id: string; data: unknown }): Promise<void> {
    const { pool, queue, senders, logger } = this.options;
    const parsed = jobSchema.safeParse(job.data);
    if (!parsed.success) {
      logger.error(
        { job: job.id, problem: parsed.error.issues[0]?.message },
        'delivery job with an invalid payload; completed without sending',
      );
      await inTransaction(pool, (client) => queue.complete(client, job.id));
      return;
    }
    const data: DeliveryJob = parsed.data;
    const delivery = await readDelivery(pool, data.alertId, data.destinationId, this.options.publicWebUrl);
    // Deleted, already finished, or this attempt's outcome is already recorded (a stale re-run).
    if (delivery === undefined || delivery.status === 'delivered' || delivery.status === 'dead' || delivery.attempts >= data.attempt) {
      await inTransaction(pool, (client) => queue.complete(client, job.id));
      this.options.onOutcome?.('stale', 0);
      return;
    }
    const sender = senders.get(delivery.destination.kind);
    const started = performance.now();
    let result: DeliveryResult;
    if (sender === undefined) {
      result = { ok: false, retryable: false, error: `unknown destination kind ${delivery.destination.kind}` };
    } else {
      const signal = AbortSignal.timeout(this.options.attemptTimeoutMs);
      try {
        result = await sender.send({
          idempotencyKey: delivery.idempotencyKey,
          alert: delivery.alert,
          destination: delivery.destination,
          attempt: data.attempt,
          signal,
        });
      } catch (err) {
        // A sender must answer with a result; one that throws is treated as a retryable failure.
        result = { ok: false, retryable: true, error: `sender threw: ${(err as Error).message}` };
      }
    }
    const durationMs = performance.now() - started;
    const decision = result.ok ? { retry: false as const } : nextRetry(this.options.retry, data.attempt, result, this.options.random);
    const status = result.ok ? 'delivered' : decision.retry ? 'retrying' : 'dead';
    const recorded = await inTransaction(pool, async (client) => {
      // One statement: the delivery's new state (only if this attempt is the next one) and its attempt row.
      const { rows } = await client.query<{ n: number }>(RECORD_OUTCOME, [
        data.alertId,
        data.destinationId,
        data.attempt,
        status,
        result.ok ? null : result.error,
        result.ok,
        result.statusCode ?? null,
        durationMs,
      ]);
      const done = rows[0]?.n === 1;
      if (done && decision.retry)
        await queue.enqueueRetry(client, { ...data, attempt: data.attempt + 1 }, new Date(Date.now() + decision.delayMs));
      await queue.complete(client, job.id);
      return done;
    });
    this.options.onOutcome?.(recorded ? status : 'stale', durationMs);
    // The retry is due before the next poll, perhaps: look for it then (other alerters poll for it too).
    if (recorded && decision.retry && decision.delayMs < this.options.pollIntervalMs) {
      setTimeout(() => this.wake(), decision.delayMs + 1).unref();
    }
    if (recorded && !result.ok) {
      logger[status === 'dead' ? 'warn' : 'info'](
        { alert: data.alertId, destination: delivery.destination.name, attempt: data.attempt, error: result.error, status },
        status === 'dead' ? 'delivery dead-lettered' : 'delivery attempt failed; retrying',
      );
    }
  }
}

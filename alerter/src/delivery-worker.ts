// Runs delivery attempts: takes due jobs from the queue in batches while it has free slots (up to
// `concurrency` attempts in flight, each bounded by its own timeout, so a hanging destination holds one
// slot and never the others), reads the batch's deliveries in one query, calls each destination's sender
// once per job, and hands each outcome to the OutcomeRecorder, which records it — the attempt row, the
// delivery's state, the next attempt's job (backoff with jitter, Retry-After honoured) or the dead-letter
// state, and the job's completion — in one transaction with the other outcomes ready at that moment.
import type { DeliveryResult } from '@barstream/core';
import type { Logger, Pool } from '@barstream/core/node';
import { z } from 'zod';
import { deliveryKey, readDeliveries, type DeliveryContext } from './delivered-alert.ts';
import type { DeliveryJob, DeliveryQueue, FetchedJob } from './delivery-queue.ts';
import type { SenderRegistry } from './destinations/senders.ts';
import { OutcomeRecorder, type JobOutcome } from './outcome-recorder.ts';
import { nextRetry, type RetryPolicy } from './retry-schedule.ts';

const jobSchema = z.object({
  alertId: z.number().int().positive(),
  destinationId: z.number().int().positive(),
  attempt: z.number().int().positive(),
  kind: z.enum(['alert', 'retraction']).default('alert'),
});

/** Jobs held (fetched, outcome not yet committed) per send slot: sends go on while a group commits, and a
 * slow database stops the fetching instead of piling up unrecorded outcomes. */
const HELD_PER_SLOT = 4;

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
  readonly onOutcome?: (outcome: 'delivered' | 'retrying' | 'dead' | 'stale' | 'cancelled', durationMs: number) => void;
}

export class DeliveryWorker {
  /** Jobs being sent (each holds a send slot until its sender answers or times out). */
  private inFlight = 0;
  /** Jobs fetched whose outcome is not committed yet. */
  private held = 0;
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private readonly attempts = new Set<Promise<void>>();
  private readonly recorder: OutcomeRecorder;

  constructor(private readonly options: DeliveryWorkerOptions) {
    this.recorder = new OutcomeRecorder(options.pool, options.queue);
  }

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
      const free = Math.min(concurrency - this.inFlight, concurrency * HELD_PER_SLOT - this.held);
      let fetched = 0;
      if (free > 0) {
        try {
          const jobs = await queue.fetch(free);
          fetched = jobs.length;
          if (jobs.length > 0) this.begin(jobs);
        } catch (err) {
          logger.warn({ err: (err as Error).message }, 'delivery queue fetch failed; retrying at the next poll');
        }
      }
      // Full, or nothing due: sleep until a slot frees, an alert is committed, or the poll interval.
      if (this.running && !this.woken && (fetched === 0 || fetched >= free)) {
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

  /** Each job holds a send slot until it is sent (or found not to be sent), and is held until its outcome commits. */
  private begin(jobs: readonly FetchedJob[]): void {
    this.inFlight += jobs.length;
    this.held += jobs.length;
    const batch = this.runBatch(jobs).finally(() => this.attempts.delete(batch));
    this.attempts.add(batch);
  }

  private sent(count = 1): void {
    this.inFlight -= count;
    this.wake();
  }

  private async runBatch(jobs: readonly FetchedJob[]): Promise<void> {
    const { pool, logger, publicWebUrl } = this.options;
    const valid: { id: string; data: DeliveryJob & { kind: 'alert' | 'retraction' }; reran: boolean }[] = [];
    const settled: Promise<unknown>[] = [];
    for (const job of jobs) {
      const parsed = jobSchema.safeParse(job.data);
      if (parsed.success) valid.push({ id: job.id, data: parsed.data, reran: job.retryCount > 0 });
      else {
        logger.error(
          { job: job.id, problem: parsed.error.issues[0]?.message },
          'delivery job with an invalid payload; completed without sending',
        );
        this.sent();
        settled.push(this.finish({ jobId: job.id }, undefined));
      }
    }
    let deliveries: Map<string, DeliveryContext>;
    try {
      deliveries = await readDeliveries(
        pool,
        valid.map((j) => j.data),
        publicWebUrl,
      );
    } catch (err) {
      // The deliveries could not be read (database lost): the jobs stay active, expire and are re-run.
      logger.error({ err: (err as Error).message, jobs: valid.length }, 'delivery batch not started; it will be re-run');
      this.held -= valid.length;
      this.sent(valid.length);
      await Promise.all(settled);
      return;
    }
    for (const job of valid) {
      const delivery = deliveries.get(deliveryKey(job.data.alertId, job.data.destinationId, job.data.kind));
      // Deleted, already finished, or this attempt's outcome is already recorded (a stale re-run).
      if (
        delivery === undefined ||
        !(delivery.status === 'queued' || delivery.status === 'retrying') ||
        delivery.attempts >= job.data.attempt
      ) {
        this.sent();
        settled.push(this.finish({ jobId: job.id }, 'stale'));
      } else if (delivery.kind === 'alert' && delivery.retractedAt !== null && !job.reran) {
        // Withdrawn before it was sent: nothing reached the destination, so nothing is sent or retracted.
        // A re-run of a job whose worker died may have sent it already: sent again then (same key), and
        // its retraction follows once it is delivered.
        this.sent();
        settled.push(this.finish({ jobId: job.id, cancel: job.data }, 'cancelled'));
      } else {
        settled.push(this.attempt(job.id, job.data, delivery));
      }
    }
    await Promise.all(settled);
  }

  /** Commits one job's outcome (with others ready at the same moment), then lets it go. */
  private async finish(outcome: JobOutcome, report: 'stale' | 'cancelled' | undefined, durationMs = 0): Promise<boolean> {
    try {
      const recorded = await this.recorder.record(outcome);
      const attempt = outcome.attempt;
      if (report !== undefined || attempt === undefined) {
        if (report !== undefined) this.options.onOutcome?.(report, 0);
      } else {
        this.options.onOutcome?.(recorded ? attempt.status : 'stale', durationMs);
      }
      return recorded;
    } catch (err) {
      // The outcome was not recorded (database lost): the job stays active, expires and is re-run.
      this.options.logger.error({ err: (err as Error).message, job: outcome.jobId }, 'delivery outcome not recorded; it will be re-run');
      return false;
    } finally {
      this.held--;
      this.wake();
    }
  }

  private async attempt(jobId: string, data: DeliveryJob, delivery: DeliveryContext): Promise<void> {
    const { senders, logger } = this.options;
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
          kind: delivery.kind,
          ...(delivery.kind === 'retraction' ? { reason: delivery.retractionReason } : {}),
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
    this.sent();
    const decision = result.ok ? { retry: false as const } : nextRetry(this.options.retry, data.attempt, result, this.options.random);
    const status = result.ok ? 'delivered' : decision.retry ? 'retrying' : 'dead';
    const recorded = await this.finish(
      {
        jobId,
        attempt: {
          job: data,
          status,
          ok: result.ok,
          statusCode: result.statusCode ?? null,
          error: result.ok ? null : result.error,
          durationMs,
          ...(decision.retry ? { retryAt: new Date(Date.now() + decision.delayMs) } : {}),
        },
      },
      undefined,
      durationMs,
    );
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

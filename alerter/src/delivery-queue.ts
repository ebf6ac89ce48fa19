// The delivery queue on pg-boss (its own schema `pgboss`, created and migrated by pg-boss at start):
// one job per delivery attempt of (alert, destination), enqueued inside the caller's transaction.
// Retries are our jobs too (retry-schedule.ts decides when): pg-boss's own retry only re-runs an
// attempt whose worker died (its job expired while active).
import type { PoolClient } from '@barstream/core/node';
import PgBoss from 'pg-boss';

export const DELIVERY_QUEUE = 'alert-delivery';

/** What a delivery sends: the alert, or the retraction of an alert whose signal was withdrawn. */
export type DeliveryKind = 'alert' | 'retraction';

export interface DeliveryJob {
  readonly alertId: number;
  readonly destinationId: number;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** Absent: 'alert' (every job enqueued before retractions existed). */
  readonly kind?: DeliveryKind;
}

export interface FetchedJob {
  readonly id: string;
  readonly data: unknown;
  /** How often pg-boss re-ran this job after its worker died: > 0, an earlier run may have sent it. */
  readonly retryCount: number;
}

export interface DeliveryQueueOptions {
  readonly connectionString: string;
  /** An attempt whose worker died is re-run after this (seconds, ≥ the attempt timeout). */
  readonly expireInSeconds: number;
  /** How often pg-boss expires such jobs (seconds). */
  readonly maintenanceIntervalSeconds?: number;
  readonly onError?: (err: Error) => void;
}

/** Re-runs of an attempt whose worker died: enough for many crashes in a row. */
const CRASH_RERUNS = 100;

/** pg-boss's adapter over our transaction's client: its statements run inside that transaction. */
function inClient(client: PoolClient): PgBoss.Db {
  return { executeSql: (text, values) => client.query(text, values) };
}

export class DeliveryQueue {
  private readonly boss: PgBoss;
  private started = false;

  constructor(private readonly options: DeliveryQueueOptions) {
    this.boss = new PgBoss({
      connectionString: options.connectionString,
      application_name: 'barstream-alerter-queue',
      max: 4,
      schedule: false, // no cron jobs: no clock monitor either
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 30,
    });
    this.boss.on('error', (err: Error) => options.onError?.(err));
  }

  async start(): Promise<void> {
    if (this.started) return;
    await this.boss.start();
    this.started = true;
    const queue = {
      name: DELIVERY_QUEUE,
      retryLimit: CRASH_RERUNS,
      retryDelay: 0,
      expireInSeconds: this.options.expireInSeconds,
      retentionDays: 7,
    };
    if ((await this.boss.getQueue(DELIVERY_QUEUE)) === null) await this.boss.createQueue(DELIVERY_QUEUE, queue);
    else await this.boss.updateQueue(DELIVERY_QUEUE, queue);
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    // The worker has finished (or abandoned) its attempts; an abandoned one expires and is re-run.
    await this.boss.stop({ graceful: false, wait: true, timeout: 2_000 });
  }

  /** Enqueues first attempts inside the caller's transaction (visible to workers on commit). */
  async enqueue(client: PoolClient, jobs: readonly DeliveryJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.boss.insert(
      jobs.map((data) => ({ name: DELIVERY_QUEUE, data, retryLimit: CRASH_RERUNS, expireInSeconds: this.options.expireInSeconds })),
      { db: inClient(client) },
    );
  }

  /** Enqueues next attempts, each not before its `startAfter`, inside the caller's transaction. */
  async enqueueRetries(client: PoolClient, retries: readonly { job: DeliveryJob; startAfter: Date }[]): Promise<void> {
    if (retries.length === 0) return;
    await this.boss.insert(
      retries.map(({ job, startAfter }) => ({
        name: DELIVERY_QUEUE,
        data: { ...job },
        startAfter,
        retryLimit: CRASH_RERUNS,
        expireInSeconds: this.options.expireInSeconds,
      })),
      { db: inClient(client) },
    );
  }

  /** Marks jobs done inside the caller's transaction (with the attempts' outcomes recorded beside them). */
  async complete(client: PoolClient, jobIds: readonly string[]): Promise<void> {
    if (jobIds.length === 0) return;
    await this.boss.complete(DELIVERY_QUEUE, [...jobIds], { db: inClient(client) });
  }

  /** Up to `count` jobs due now, marked active (pg-boss fetch: FOR UPDATE SKIP LOCKED). */
  async fetch(count: number): Promise<FetchedJob[]> {
    const jobs = await this.boss.fetch<unknown>(DELIVERY_QUEUE, { batchSize: count, includeMetadata: true });
    return jobs.map((j) => ({ id: j.id, data: j.data, retryCount: j.retryCount }));
  }

  async queued(): Promise<number> {
    return this.boss.getQueueSize(DELIVERY_QUEUE);
  }
}

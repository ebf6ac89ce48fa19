// Outcomes recorded by group commit: outcomes handed over together are committed together — each
// delivery's state and attempt row, the next attempt's job, every job completed — and an outcome for an
// attempt already recorded (a re-run, or the same attempt twice in one group) changes nothing.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pool } from '../../core/src/node/db-pool.ts';
import { storeStep } from '../../alerter/src/alert-store.ts';
import { DELIVERY_QUEUE, DeliveryQueue, type DeliveryJob } from '../../alerter/src/delivery-queue.ts';
import { OutcomeRecorder } from '../../alerter/src/outcome-recorder.ts';
import { addWebhook } from '../support/alerter-fixture.ts';
import { minuteAlert } from '../support/minute-alert.ts';
import type { TestDatabase } from '../support/test-database.ts';
import { useTestDatabase } from '../support/use-test-database.ts';

let db: TestDatabase;
let pool: Pool;
let queue: DeliveryQueue;

useTestDatabase((ground) => ({ db, pool } = ground));
beforeAll(async () => {
  queue = new DeliveryQueue({ connectionString: db.url, expireInSeconds: 60 });
  await queue.start();
});
afterAll(async () => {
  await queue?.stop();
});

describe('outcome recorder', () => {
  it('commits a group of outcomes at once, with retry jobs and completions, and records each attempt once', async () => {
    await addWebhook(pool, 'hook', 'http://127.0.0.1:9/hook');
    await storeStep(
      pool,
      queue,
      [1, 2, 3].map((i) => minuteAlert('recorder', i)),
      undefined,
    );
    const fetched = await queue.fetch(10);
    expect(fetched).toHaveLength(3);
    const jobs = fetched.map((j) => ({ id: j.id, data: j.data as DeliveryJob })).sort((a, b) => a.data.alertId - b.data.alertId);
    const [one, two, three] = jobs as [(typeof jobs)[0], (typeof jobs)[0], (typeof jobs)[0]];
    const recorder = new OutcomeRecorder(pool, queue);
    const retryAt = new Date(Date.now() + 3_600_000);
    const base = { statusCode: 200, error: null, durationMs: 1 };
    const results = await Promise.all([
      recorder.record({ jobId: one.id, attempt: { ...base, job: one.data, status: 'delivered', ok: true } }),
      recorder.record({
        jobId: two.id,
        attempt: { ...base, job: two.data, status: 'retrying', ok: false, statusCode: 503, error: 'HTTP 503', retryAt },
      }),
      // The same attempt of the first delivery again (an expired job's re-run) in the same group.
      recorder.record({ jobId: randomUUID(), attempt: { ...base, job: one.data, status: 'delivered', ok: true } }),
      recorder.record({ jobId: three.id }),
    ]);
    expect(results).toEqual([true, true, false, false]);

    const { rows: deliveries } = await pool.query<{ alert_id: string; status: string; attempts: number }>(
      'SELECT alert_id, status, attempts FROM alert_deliveries ORDER BY alert_id',
    );
    expect(deliveries.map((d) => [Number(d.alert_id), d.status, d.attempts])).toEqual([
      [one.data.alertId, 'delivered', 1],
      [two.data.alertId, 'retrying', 1],
      [three.data.alertId, 'queued', 0],
    ]);
    const { rows: attempts } = await pool.query<{ alert_id: string; ok: boolean; status_code: number }>(
      'SELECT alert_id, ok, status_code FROM alert_delivery_attempts ORDER BY alert_id',
    );
    expect(attempts.map((a) => [Number(a.alert_id), a.ok, a.status_code])).toEqual([
      [one.data.alertId, true, 200],
      [two.data.alertId, false, 503],
    ]);
    const { rows: queued } = await pool.query<{ data: DeliveryJob; start_after: Date; state: string; id: string }>(
      `SELECT id, data, start_after, state FROM pgboss.job WHERE name = $1 ORDER BY created_on, id`,
      [DELIVERY_QUEUE],
    );
    const byId = new Map(queued.map((q) => [q.id, q.state]));
    expect([byId.get(one.id), byId.get(two.id), byId.get(three.id)]).toEqual(['completed', 'completed', 'completed']);
    const retries = queued.filter((q) => q.state === 'created');
    expect(retries.map((r) => r.data)).toEqual([{ ...two.data, attempt: 2 }]);
    expect(retries[0]?.start_after.getTime()).toBe(retryAt.getTime());

    // A later re-run of the recorded attempt changes nothing.
    expect(await recorder.record({ jobId: randomUUID(), attempt: { ...base, job: two.data, status: 'dead', ok: false } })).toBe(false);
    const { rows: after } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM alert_delivery_attempts');
    expect(after[0]?.n).toBe(2);
  });
});

// The pool's wait histogram (db_pool_wait_seconds) on a real PostgreSQL: a pool of one connection
// held by the test makes the next query wait; the wait observed covers at least the time the test
// held the connection while that query waited — shown by ordering on the real clock, and exactly
// with a clock the test moves itself.
import pg from 'pg';
import { type Histogram, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../../core/src/node/db-pool.ts';
import { registerPoolMetrics } from '../../core/src/node/pool-metrics.ts';
import { timePoolWaits } from '../../core/src/node/pool-wait-timer.ts';
import { eventually } from '../support/eventually.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

let db: TestDatabase;
const pools: pg.Pool[] = [];

function poolOfOne(options: Partial<pg.PoolConfig> = {}): pg.Pool {
  const pool =
    options.connectionTimeoutMillis === undefined
      ? createPool(db.url, { max: 1 })
      : new pg.Pool({ connectionString: db.url, max: 1, ...options });
  pools.push(pool);
  return pool;
}

async function waitHistogram(registry: Registry): Promise<{ count: number; sum: number }> {
  const metric = registry.getSingleMetric('db_pool_wait_seconds') as Histogram | undefined;
  if (metric === undefined) throw new Error('db_pool_wait_seconds is not registered');
  const values = (await metric.get()).values;
  const value = (name: string): number => values.find((v) => v.metricName === name)?.value ?? Number.NaN;
  return { count: value('db_pool_wait_seconds_count'), sum: value('db_pool_wait_seconds_sum') };
}

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await db?.drop();
});

describe('db_pool_wait_seconds', () => {
  it('observes a query that waited for the held connection, for at least as long as it was held', async () => {
    const pool = poolOfOne();
    const registry = new Registry();
    registerPoolMetrics(registry, pool);

    const held = await pool.connect(); // observation 1: the first connection, made at once
    expect((await waitHistogram(registry)).count).toBe(1);
    const before = (await waitHistogram(registry)).sum;

    const query = pool.query('SELECT 1 AS one'); // its wait begins here, inside the call
    const heldFrom = performance.now();
    await eventually(() => pool.waitingCount === 1);
    // Real work on the held connection, as a long transaction would do, while the query waits.
    await held.query('SELECT count(*) FROM generate_series(1, 200000)');
    expect((await waitHistogram(registry)).count).toBe(1); // still waiting: not observed yet
    const heldMs = performance.now() - heldFrom; // read before the release that ends the wait
    held.release();
    expect((await query).rows).toEqual([{ one: 1 }]);

    const after = await waitHistogram(registry);
    expect(after.count).toBe(2);
    expect(after.sum - before).toBeGreaterThanOrEqual(heldMs / 1000);
    // Exported on /metrics as a histogram with the shared latency buckets.
    expect(await registry.metrics()).toMatch(/^db_pool_wait_seconds_bucket\{le="0.0001"\} \d+$/m);
  });

  it('reports each checkout’s wait exactly, measured on the clock it is given', async () => {
    const pool = poolOfOne();
    let clockMs = 1_000;
    const waits: number[] = [];
    timePoolWaits(
      pool,
      (seconds) => waits.push(seconds),
      () => clockMs,
    );

    const held = await pool.connect(); // the clock did not move: a wait of 0
    const query = pool.query('SELECT 2 AS two');
    await eventually(() => pool.waitingCount === 1);
    clockMs += 7_250; // the test holds the connection for 7.25 s of this clock
    held.release();
    await query;
    expect(waits).toEqual([0, 7.25]);
  });

  it('observes a wait that ends in the pool’s timeout, and the caller gets the error', async () => {
    const pool = poolOfOne({ connectionTimeoutMillis: 100 });
    const waits: number[] = [];
    timePoolWaits(pool, (seconds) => waits.push(seconds));
    const held = await pool.connect();
    await expect(pool.query('SELECT 3')).rejects.toThrow(/timeout exceeded when trying to connect/);
    expect(waits).toHaveLength(2);
    held.release();
  });

  it('refuses to time one pool twice (each wait would count twice)', () => {
    const pool = poolOfOne();
    timePoolWaits(pool, () => undefined);
    expect(() => timePoolWaits(pool, () => undefined)).toThrow(/already timed/);
  });
});

// The retention scheduler on a real PostgreSQL: a pass at start, logged and counted; a failed pass
// logged and counted with what it removed, finished by the next; TimescaleDB's tick policy set from
// the settings (its function's calls checked against stand-ins on plain PostgreSQL, for real on
// TimescaleDB). The job's own deletes: retention-job.test.ts.
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createIngestMetrics } from '../../ingester/src/ingest-metrics.ts';
import { type Queryable, retentionCutoff, runRetention } from '../../ingester/src/retention-job.ts';
import { RetentionScheduler } from '../../ingester/src/retention-scheduler.ts';
import { BATCH, NOW, useRetentionDatabase } from '../support/retention-fixture.ts';
import { noteSkippedWithoutTimescaleDb, serverHasTimescaleDb } from '../support/timescaledb.ts';

const timescale = await serverHasTimescaleDb();
if (!timescale) noteSkippedWithoutTimescaleDb("retention's TimescaleDB policy check (its stand-in check runs instead)");

const fixture = useRetentionDatabase();
const { count, insertTicks } = fixture;

describe('retention scheduler', () => {
  it('runs a pass at start, logs what it removed, counts it, and leaves plain PostgreSQL without policies', async () => {
    await insertTicks('SIM.C', 3_600);
    const old = await count(`ticks WHERE "timestamp" < $1`, [retentionCutoff(NOW, 4)]);
    expect(old).toBeGreaterThan(0);
    const registry = new Registry();
    const metrics = createIngestMetrics(registry);
    const stream = new PassThrough();
    let logs = '';
    stream.on('data', (d: Buffer) => (logs += d.toString()));
    const scheduler = new RetentionScheduler({
      pool: fixture.pool,
      retention: { ticks_days: 4, bars: { '1h': 9 }, cron: '30 3 * * *', batch_rows: 1_000 },
      logger: pino({ level: 'info' }, stream),
      metrics,
      now: () => NOW,
    });
    try {
      await scheduler.start();
      await scheduler.idle();
    } finally {
      await scheduler.stop();
    }
    const metricsText = await registry.metrics();
    expect(metricsText).toContain(`ingester_retention_rows_deleted_total{table="ticks",timeframe=""} ${old}`);
    expect(metricsText).toMatch(/ingester_retention_rows_deleted_total\{table="ohlc_bars",timeframe="1h"\} [1-9]/);
    expect(metricsText).toContain('ingester_retention_runs_total{outcome="ok"} 1');
    const done = logs
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { msg: string; ticksDeleted?: number })
      .find((l) => l.msg === 'retention pass done');
    expect(done?.ticksDeleted).toBe(old);
    expect(await count(`ticks WHERE "timestamp" < $1`, [retentionCutoff(NOW, 4)])).toBe(0);
  });
});

describe('a failed retention pass', () => {
  it('is logged and counted with the rows it removed before failing, and the next pass finishes the work', async () => {
    await runRetention(fixture.pool, { ticksDays: 3, bars: [], batchRows: BATCH }, NOW); // only SIM.FAIL's old ticks left
    await insertTicks('SIM.FAIL', 600);
    const cutoff = retentionCutoff(NOW, 3);
    const old = await count(`ticks WHERE "timestamp" < $1`, [cutoff]);
    expect(old).toBeGreaterThan(300);
    let deletes = 0;
    let failing = true;
    // SIM.FAIL's second DELETE fails (e.g. the connection drops) while `failing` holds.
    const flaky: Queryable = {
      query: async (text, values) => {
        if (/\bDELETE FROM\b/.test(text) && values?.[0] === 'SIM.FAIL' && ++deletes === 2 && failing)
          throw new Error('connection terminated');
        const r = await fixture.pool.query(text, values);
        return { rows: r.rows, rowCount: r.rowCount };
      },
    };
    const registry = new Registry();
    const stream = new PassThrough();
    let logs = '';
    stream.on('data', (d: Buffer) => (logs += d.toString()));
    const scheduler = new RetentionScheduler({
      pool: flaky,
      retention: { ticks_days: 3, bars: {}, cron: '30 3 * * *', batch_rows: 100 },
      logger: pino({ level: 'info' }, stream),
      metrics: createIngestMetrics(registry),
      now: () => NOW,
    });
    try {
      await scheduler.start();
      await scheduler.idle();
      let text = await registry.metrics();
      expect(text).toContain('ingester_retention_runs_total{outcome="failed"} 1');
      expect(text).toContain('ingester_retention_rows_deleted_total{table="ticks",timeframe=""} 100');
      expect(logs).toContain('retention pass failed');
      expect(logs).toContain('connection terminated');
      failing = false;
      scheduler.runNow();
      await scheduler.idle();
      text = await registry.metrics();
      expect(text).toContain('ingester_retention_runs_total{outcome="ok"} 1');
      expect(text).toContain(`ingester_retention_rows_deleted_total{table="ticks",timeframe=""} ${old}`);
      expect(await count(`ticks WHERE "timestamp" < $1`, [cutoff])).toBe(0);
    } finally {
      await scheduler.stop();
    }
  });
});

describe('TimescaleDB tick retention policy', () => {
  it.skipIf(timescale)(
    "barstream_set_ticks_retention's calls bind to TimescaleDB's signatures (stand-ins on plain PostgreSQL)",
    async () => {
      const client = await fixture.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(`
        CREATE TEMP TABLE ts_calls (n serial, fn text, rel text, arg text);
        CREATE SCHEMA timescale_stub;
        CREATE FUNCTION timescale_stub.remove_retention_policy(relation regclass, if_exists boolean DEFAULT false) RETURNS void
          LANGUAGE sql AS $$ INSERT INTO ts_calls (fn, rel, arg) VALUES ('remove', relation::text, if_exists::text) $$;
        CREATE FUNCTION timescale_stub.add_retention_policy(relation regclass, drop_after anyelement DEFAULT NULL::interval,
          if_not_exists boolean DEFAULT false, schedule_interval interval DEFAULT NULL, initial_start timestamptz DEFAULT NULL,
          timezone text DEFAULT NULL, drop_created_before interval DEFAULT NULL) RETURNS integer
          LANGUAGE sql AS $$ INSERT INTO ts_calls (fn, rel, arg) VALUES ('add', relation::text, drop_after::text); SELECT 1 $$;`);
        await client.query('SET LOCAL search_path = timescale_stub, public');
        await client.query('SELECT barstream_set_ticks_retention(7)');
        await client.query('SELECT barstream_set_ticks_retention(NULL)');
        const { rows } = await client.query('SELECT fn, rel, arg FROM ts_calls ORDER BY n');
        expect(rows).toEqual([
          { fn: 'remove', rel: 'ticks', arg: 'true' },
          { fn: 'add', rel: 'ticks', arg: '7 days' },
          { fn: 'remove', rel: 'ticks', arg: 'true' },
        ]);
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
    },
  );

  it.runIf(timescale)('sets, changes and removes the policy on ticks from retention.ticks_days', async () => {
    const policy = async () => {
      const { rows } = await fixture.pool.query<{
        drop_after: string;
      }>(`SELECT config->>'drop_after' AS drop_after FROM timescaledb_information.jobs
        WHERE proc_name = 'policy_retention' AND hypertable_name = 'ticks'`);
      return rows.map((r) => r.drop_after);
    };
    const start = async (ticks_days: number | undefined) => {
      const scheduler = new RetentionScheduler({
        pool: fixture.pool,
        retention: { ticks_days, bars: {}, cron: '30 3 * * *', batch_rows: 1_000 },
        logger: pino({ level: 'silent' }),
        metrics: createIngestMetrics(new Registry()),
        now: () => NOW,
      });
      await scheduler.start();
      await scheduler.stop();
    };
    await start(5);
    expect(await policy()).toEqual(['5 days']);
    await start(2);
    expect(await policy()).toEqual(['2 days']);
    await start(undefined);
    expect(await policy()).toEqual([]);
  });
});

// Retention on a real PostgreSQL: the ingester's job deletes exactly the ticks and bars older than their
// settings, in bounded DELETEs, and nothing on a second pass; TimescaleDB's tick policy is set from the
// settings (its function's calls checked against stand-ins on plain PostgreSQL, for real on TimescaleDB).
import { PassThrough } from 'node:stream';
import pg from 'pg';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTimeframe } from '../../core/src/timeframe.ts';
import { createIngestMetrics } from '../../ingester/src/ingest-metrics.ts';
import { type Queryable, type RetentionPlan, retentionCutoff, runRetention } from '../../ingester/src/retention-job.ts';
import { RetentionScheduler } from '../../ingester/src/retention-scheduler.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { noteSkippedWithoutTimescaleDb, serverHasTimescaleDb } from '../support/timescaledb.ts';

const timescale = await serverHasTimescaleDb();
if (!timescale) noteSkippedWithoutTimescaleDb("retention's TimescaleDB policy check (its stand-in check runs instead)");

const NOW = new Date('2026-03-10T12:34:56Z');
const DAY = 86_400_000;
const BATCH = 500;

let db: TestDatabase;
let pool: pg.Pool;

/** The pool, recording each DELETE's row count. */
function countingDb(deletes: number[]): Queryable {
  return {
    query: async (text, values) => {
      const r = await pool.query(text, values);
      if (/\bDELETE FROM\b/.test(text)) deletes.push(r.rowCount ?? 0);
      return { rows: r.rows, rowCount: r.rowCount };
    },
  };
}

async function count(sql: string, values: unknown[] = []): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, values);
  return rows[0]?.n ?? -1;
}

/** Ticks of contract `id` every `everySeconds` over ten days before NOW, each with its own trade_id. */
async function insertTicks(id: string, everySeconds: number): Promise<void> {
  await pool.query(
    `INSERT INTO ticks (contract_id, "timestamp", price, volume, trade_id)
     SELECT $1, t, 100, 1, $1 || ':' || extract(epoch FROM t)::text
       FROM generate_series($2::timestamptz, $3::timestamptz, make_interval(secs => $4)) t`,
    [id, new Date(NOW.getTime() - 10 * DAY), NOW, everySeconds],
  );
}

/** Closed bars of one timeframe over ten days before NOW. */
async function insertBars(id: string, label: string, minutes: number): Promise<void> {
  const tf = parseTimeframe(label);
  await pool.query(
    `INSERT INTO ohlc_bars (contract_id, "timestamp", open, high, low, close, volume, timeframe_unit, timeframe_value, timeframe, is_closed)
     SELECT $1, t, 10, 11, 9, 10, 1, $2, $3, $4, true
       FROM generate_series(date_trunc('hour', $5::timestamptz) - interval '10 days', $5::timestamptz, make_interval(mins => $6)) t`,
    [id, tf.unit, tf.value, label, NOW, minutes],
  );
}

/** Trade ids (ticks) or timestamps (bars) at or after `cutoff`: what must be left. */
async function kept(table: 'ticks' | 'ohlc_bars', where: string, cutoff: Date): Promise<string[]> {
  const key = table === 'ticks' ? 'trade_id' : `contract_id || timeframe || "timestamp"::text`;
  const { rows } = await pool.query<{ k: string }>(`SELECT ${key} AS k FROM ${table} WHERE ${where} AND "timestamp" >= $1 ORDER BY 1`, [
    cutoff,
  ]);
  return rows.map((r) => r.k);
}

beforeAll(async () => {
  db = await createTestDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  await insertTicks('SIM.A', 60); // 14,401 ticks
  await insertTicks('SIM.B', 600); // 1,441
  const cutoff = retentionCutoff(NOW, 3);
  // Either side of the cutoff by one microsecond.
  await pool.query(
    `INSERT INTO ticks (contract_id, "timestamp", price, volume, trade_id) VALUES
       ('SIM.B', $1::timestamptz - interval '1 microsecond', 1, 1, 'edge:old'), ('SIM.B', $1, 1, 1, 'edge:kept')`,
    [cutoff],
  );
  for (const id of ['SIM.A', 'SIM.B']) {
    await insertBars(id, '1m', 1);
    await insertBars(id, '5m', 5);
    await insertBars(id, '1h', 60);
  }
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

describe('retention job', () => {
  const plan: RetentionPlan = {
    ticksDays: 3,
    bars: [
      { label: '1m', timeframe: parseTimeframe('1m'), days: 2 },
      { label: '5m', timeframe: parseTimeframe('5m'), days: 5 },
    ],
    batchRows: BATCH,
  };

  it('cuts at midnight UTC, keeping whole days', () => {
    expect(retentionCutoff(NOW, 3).toISOString()).toBe('2026-03-07T00:00:00.000Z');
  });

  it('deletes exactly the old ticks and bars, in DELETEs of at most batch_rows rows, and nothing on a second pass', async () => {
    const tickCut = retentionCutoff(NOW, 3);
    const cut1m = retentionCutoff(NOW, 2);
    const cut5m = retentionCutoff(NOW, 5);
    const before = {
      ticks: await count('ticks'),
      oldTicks: await count('ticks WHERE "timestamp" < $1', [tickCut]),
      old1m: await count(`ohlc_bars WHERE timeframe = '1m' AND "timestamp" < $1`, [cut1m]),
      old5m: await count(`ohlc_bars WHERE timeframe = '5m' AND "timestamp" < $1`, [cut5m]),
      hours: await kept('ohlc_bars', `timeframe = '1h'`, new Date(0)),
      keptTicks: await kept('ticks', 'true', tickCut),
      kept1m: await kept('ohlc_bars', `timeframe = '1m'`, cut1m),
      kept5m: await kept('ohlc_bars', `timeframe = '5m'`, cut5m),
    };
    expect(before.oldTicks).toBeGreaterThan(5 * BATCH); // several batches per series
    expect(before.old1m).toBeGreaterThan(5 * BATCH);

    const deletes: number[] = [];
    const report = await runRetention(countingDb(deletes), plan, NOW);
    expect(report.ticks).toBe(before.oldTicks);
    expect(report.bars).toEqual({ '1m': before.old1m, '5m': before.old5m });
    // Exactly the old rows are gone: what is left is what was at or after each cutoff, row for row.
    expect(await count('ticks')).toBe(before.ticks - before.oldTicks);
    expect(await kept('ticks', 'true', new Date(0))).toEqual(before.keptTicks);
    expect(await kept('ohlc_bars', `timeframe = '1m'`, new Date(0))).toEqual(before.kept1m);
    expect(await kept('ohlc_bars', `timeframe = '5m'`, new Date(0))).toEqual(before.kept5m);
    expect(await kept('ohlc_bars', `timeframe = '1h'`, new Date(0))).toEqual(before.hours);
    expect(await count(`ticks WHERE trade_id IN ('edge:old', 'edge:kept')`)).toBe(1);
    expect(await count(`ticks WHERE trade_id = 'edge:kept'`)).toBe(1);
    // Bounded: no DELETE over batch_rows, and the removed rows took at least as many statements as that implies.
    const removed = report.ticks + before.old1m + before.old5m;
    expect(deletes.reduce((a, b) => a + b, 0)).toBe(removed);
    expect(Math.max(...deletes)).toBeLessThanOrEqual(BATCH);
    expect(deletes.filter((n) => n > 0).length).toBeGreaterThanOrEqual(Math.ceil(removed / BATCH));

    const again: number[] = [];
    const second = await runRetention(countingDb(again), plan, NOW);
    expect(second).toMatchObject({ ticks: 0, bars: { '1m': 0, '5m': 0 } });
    expect(again.every((n) => n === 0)).toBe(true);
  });

  it("finds each batch's time range on the (contract_id, timestamp) index and the bars' primary key", async () => {
    const batches: { text: string; values: unknown[] }[] = [];
    const recording: Queryable = {
      query: async (text, values = []) => {
        if (text.includes('WITH bound')) batches.push({ text, values });
        const r = await pool.query(text, values);
        return { rows: r.rows, rowCount: r.rowCount };
      },
    };
    await runRetention(recording, plan, NOW);
    const tickBatch = batches.find((b) => b.text.includes('DELETE FROM ticks'));
    const barBatch = batches.find((b) => b.text.includes('DELETE FROM ohlc_bars'));
    // These tables are small here, so sequential scans are switched off to ask whether the index
    // applies, not whether it pays.
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL enable_seqscan = off');
      const plans: string[] = [];
      for (const b of [tickBatch, barBatch]) {
        expect(b).toBeDefined();
        const { rows } = await client.query(`EXPLAIN (FORMAT JSON) ${b?.text ?? ''}`, b?.values);
        plans.push(JSON.stringify(rows[0]));
      }
      // On TimescaleDB the chunks' copies of the index carry a prefix.
      expect(plans[0]).toMatch(/"Index Name":"[^"]*ticks_contract_time_idx"/);
      expect(plans[0]).not.toContain('Seq Scan');
      expect(plans[1]).toMatch(/"Index Name":"[^"]*ohlc_bars_pkey"/);
      expect(plans[1]).not.toContain('Seq Scan');
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('deletes an instant that alone holds more than a batch (ticks sharing a timestamp)', async () => {
    const old = new Date(NOW.getTime() - 9 * DAY);
    await pool.query(
      `INSERT INTO ticks (contract_id, "timestamp", price, volume, trade_id) SELECT 'SIM.TIE', $1, 1, 1, 'tie:' || g FROM generate_series(1, $2) g`,
      [old, BATCH * 2 + 7],
    );
    await pool.query(`INSERT INTO ticks (contract_id, "timestamp", price, volume, trade_id) VALUES ('SIM.TIE', $1, 1, 1, 'tie:new')`, [
      NOW,
    ]);
    const report = await runRetention(pool, { ticksDays: 3, bars: [], batchRows: BATCH }, NOW);
    expect(report.ticks).toBe(BATCH * 2 + 7);
    expect(await count(`ticks WHERE contract_id = 'SIM.TIE'`)).toBe(1);
  });

  it('stops between statements when asked', async () => {
    await insertTicks('SIM.STOP', 60);
    const deletes: number[] = [];
    const stopAfterTwo = () => deletes.filter((n) => n > 0).length >= 2;
    const report = await runRetention(countingDb(deletes), { ticksDays: 3, bars: [], batchRows: BATCH }, NOW, { stopped: stopAfterTwo });
    expect(report.ticks).toBe(2 * BATCH);
    expect(await count(`ticks WHERE contract_id = 'SIM.STOP' AND "timestamp" < $1`, [retentionCutoff(NOW, 3)])).toBeGreaterThan(0);
    await runRetention(pool, { ticksDays: 3, bars: [], batchRows: BATCH }, NOW);
  });
});

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
      pool,
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
    await runRetention(pool, { ticksDays: 3, bars: [], batchRows: BATCH }, NOW); // only SIM.FAIL's old ticks left
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
        const r = await pool.query(text, values);
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
      const client = await pool.connect();
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
      const { rows } = await pool.query<{
        drop_after: string;
      }>(`SELECT config->>'drop_after' AS drop_after FROM timescaledb_information.jobs
        WHERE proc_name = 'policy_retention' AND hypertable_name = 'ticks'`);
      return rows.map((r) => r.drop_after);
    };
    const start = async (ticks_days: number | undefined) => {
      const scheduler = new RetentionScheduler({
        pool,
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

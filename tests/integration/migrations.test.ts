import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../prisma/index.ts';
import { createEmptyDatabase, type TestDatabase } from '../support/test-database.ts';
import { noteSkippedWithoutTimescaleDb, serverHasTimescaleDb } from '../support/timescaledb.ts';

const timescale = await serverHasTimescaleDb();
if (!timescale) noteSkippedWithoutTimescaleDb("the migrations' TimescaleDB-only checks (hypertables, compression)");

let db: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  db = await createEmptyDatabase();
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await db?.drop();
});

describe('migrations', () => {
  it('apply on an empty database, then are a no-op', async () => {
    const first = await applyMigrations(db.url);
    expect(first.applied.length).toBeGreaterThanOrEqual(2);
    expect(first.timescaledb).toBe(timescale);
    const second = await applyMigrations(db.url);
    expect(second.applied).toEqual([]);
    expect(second.version).toBe(first.version);
  });

  it('serialise concurrent runs (every service migrates at start)', async () => {
    const results = await Promise.all([applyMigrations(db.url), applyMigrations(db.url), applyMigrations(db.url)]);
    expect(results.every((r) => r.applied.length === 0)).toBe(true);
  });

  it('create the inherited tables and keys', async () => {
    const { rows } = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
    );
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['analyzer_watermarks', 'contracts', 'detected_signals', 'ohlc_bars', 'ticks']),
    );
    const pk = await client.query<{ col: string }>(`
      SELECT a.attname AS col FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
       WHERE i.indrelid = 'ohlc_bars'::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`);
    expect(pk.rows.map((r) => r.col)).toEqual(['contract_id', 'timeframe_unit', 'timeframe_value', 'timestamp']);
  });

  it('keep the readable timeframe consistent with unit/value and reject impossible bars', async () => {
    const insert = (tf: string, high: number) =>
      client.query(
        `INSERT INTO ohlc_bars (contract_id, "timestamp", open, high, low, close, volume, timeframe_unit, timeframe_value, timeframe)
       VALUES ('T', now(), 10, $2, 9, 10, 1, 2, 5, $1)`,
        [tf, high],
      );
    await expect(insert('5h', 11)).rejects.toThrow(/ohlc_bars_timeframe_label/);
    await expect(insert('5m', 8)).rejects.toThrow(/check constraint/);
    await insert('5m', 11);
    const { rows } = await client.query('SELECT timeframe_label(4::int2, 1) AS d, timeframe_label(6::int2, 1) AS mo');
    expect(rows[0]).toEqual({ d: '1d', mo: '1mo' });
  });

  it('invert the label for index-friendly plain SQL, and look bars up by the primary key only', async () => {
    // Every unit, and values of several digits: label → (unit, value) → label is the identity.
    const { rows } = await client.query<{ label: string; unit: number; value: number; back: string }>(`
      SELECT l.label, timeframe_unit_of(l.label) AS unit, timeframe_value_of(l.label) AS value,
             timeframe_label(timeframe_unit_of(l.label), timeframe_value_of(l.label)) AS back
        FROM unnest(ARRAY['1s', '15s', '1m', '5m', '240m', '1h', '4h', '1d', '1w', '1mo', '12mo']) AS l(label)`);
    for (const r of rows) expect(r.back, r.label).toBe(r.label);
    expect(rows.find((r) => r.label === '1mo')).toMatchObject({ unit: 6, value: 1 });
    expect(rows.find((r) => r.label === '240m')).toMatchObject({ unit: 2, value: 240 });
    const bad = await client.query("SELECT timeframe_unit_of('5x') AS u, timeframe_value_of('m5') AS v, timeframe_unit_of('') AS e");
    expect(bad.rows[0]).toEqual({ u: null, v: null, e: null });
    const idx = await client.query<{ name: string }>("SELECT indexname AS name FROM pg_indexes WHERE tablename = 'ohlc_bars'");
    expect(idx.rows.map((r) => r.name)).toEqual(['ohlc_bars_pkey']);
    // The README's form of a lookup by label can be served by the primary key (this table is tiny,
    // so sequential scans are switched off to ask whether the index applies, not whether it pays).
    await client.query('SET enable_seqscan = off');
    const plan = await client.query(`EXPLAIN (FORMAT JSON) SELECT * FROM ohlc_bars WHERE contract_id = 'T'
      AND timeframe_unit = timeframe_unit_of('5m') AND timeframe_value = timeframe_value_of('5m') ORDER BY "timestamp" DESC LIMIT 20`);
    await client.query('RESET enable_seqscan');
    expect(JSON.stringify(plan.rows[0])).toMatch(/"Index Name":"ohlc_bars_pkey"/);
    // The functions fold to constants at plan time: unit and value are index conditions, not filters.
    expect(JSON.stringify(plan.rows[0])).toContain(
      "(contract_id = 'T'::text) AND (timeframe_unit = '2'::smallint) AND (timeframe_value = 5)",
    );
  });

  it("run the README's example queries as written", async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const block = /## Querying your data[\s\S]*?```sql\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block, 'README: the sql block under "Querying your data"').toBeDefined();
    await client.query(`INSERT INTO ohlc_bars (contract_id, "timestamp", open, high, low, close, volume, timeframe_unit, timeframe_value, timeframe, is_closed)
      SELECT 'SIM.MES', date_trunc('minute', now()) - g * interval '5 minutes', 10, 11, 9, 10, 1, 2, 5, '5m', true FROM generate_series(1, 30) g`);
    await client.query(`INSERT INTO detected_signals (analyzer_id, "timestamp", contract_id, timeframe, signal_type, details)
      VALUES ('trend', date_trunc('minute', now()) - interval '10 minutes', 'SIM.MES', '5m', 'uptrend_start', '{"rule":"r"}')`);
    const statements = (block as string)
      .split(/;\s*\n/)
      .map((q) => q.trim())
      .filter((q) => q.replace(/--.*$/gm, '').trim() !== '');
    expect(statements).toHaveLength(3);
    const [last20, , joined] = await Promise.all(statements.map((q) => client.query(q)));
    expect(last20?.rowCount).toBe(20);
    expect(joined?.rows[0]).toMatchObject({ signal_type: 'uptrend_start', rule: 'r', close: 10 });
  });

  it.runIf(timescale)('make hypertables with compression and no default time index on TimescaleDB', async () => {
    const ht = await client.query<{
      name: string;
      compression: boolean;
    }>(`SELECT hypertable_name AS name, compression_enabled AS compression
      FROM timescaledb_information.hypertables ORDER BY 1`);
    expect(ht.rows).toEqual([
      { name: 'ohlc_bars', compression: true },
      { name: 'smc_events', compression: false },
      { name: 'ticks', compression: true },
      { name: 'zones', compression: false },
    ]);
    const idx = await client.query<{ name: string }>(
      "SELECT indexname AS name FROM pg_indexes WHERE tablename IN ('ohlc_bars', 'ticks') ORDER BY 1",
    );
    expect(idx.rows.map((r) => r.name)).toEqual(['ohlc_bars_pkey', 'ticks_contract_time_idx']);
    // The chunks carry the hypertable's indexes: a default time index would show up on each chunk.
    await client.query(`INSERT INTO ticks (contract_id, "timestamp", price, volume) VALUES ('T', now(), 1, 1)`);
    const chunkIdx = await client.query<{ def: string }>(`SELECT indexdef AS def FROM pg_indexes
      WHERE schemaname = '_timescaledb_internal' AND indexdef NOT LIKE '%compress%'`);
    expect(chunkIdx.rows.filter((r) => /\("timestamp" DESC\)/.test(r.def))).toEqual([]);
  });

  it('drop a default time index create_hypertable made, leaving the other indexes (both paths)', async () => {
    // What TimescaleDB's create_hypertable adds without create_default_indexes => false; made by hand
    // here so the drop runs on plain PostgreSQL too (on TimescaleDB the migration has already run it).
    await client.query('CREATE INDEX ohlc_bars_timestamp_idx ON ohlc_bars ("timestamp" DESC)');
    await client.query('CREATE INDEX ticks_timestamp_idx ON ticks ("timestamp" DESC)');
    await client.query(readFileSync(new URL('../../prisma/migrations/005.do.drop-default-time-indexes.sql', import.meta.url), 'utf8'));
    const { rows } = await client.query<{ name: string }>(
      "SELECT indexname AS name FROM pg_indexes WHERE tablename IN ('ohlc_bars', 'ticks') ORDER BY 1",
    );
    expect(rows.map((r) => r.name)).toEqual(['ohlc_bars_pkey', 'ticks_contract_time_idx']);
  });

  it.skipIf(timescale)("leave plain tables when TimescaleDB is absent, and the TimescaleDB branch's calls resolve", async () => {
    const ht = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'timescaledb'");
    expect(ht.rows[0]?.n).toBe(0);
    // Run the TimescaleDB branch against stand-ins with TimescaleDB's signatures: proves the
    // function's calls bind (names, argument types) up to the first TimescaleDB-only DDL.
    await client.query('BEGIN');
    try {
      await client.query(`
        CREATE TEMP TABLE ts_calls (fn text, rel text);
        CREATE SCHEMA timescale_stub;
        CREATE FUNCTION timescale_stub.create_hypertable(relation regclass, time_column_name name, partitioning_column name DEFAULT NULL,
          number_partitions integer DEFAULT NULL, associated_schema_name name DEFAULT NULL, associated_table_prefix name DEFAULT NULL,
          chunk_time_interval anyelement DEFAULT NULL::bigint, create_default_indexes boolean DEFAULT true, if_not_exists boolean DEFAULT false,
          partitioning_func regproc DEFAULT NULL, migrate_data boolean DEFAULT false) RETURNS void
          LANGUAGE sql AS $$ INSERT INTO ts_calls VALUES ('create_hypertable', relation::text) $$;`);
      await client.query('SET LOCAL search_path = timescale_stub, public');
      await client.query('SAVEPOINT branch');
      await expect(client.query('SELECT barstream_enable_timescaledb()')).rejects.toThrow(/unrecognized parameter namespace "timescaledb"/);
      await client.query('ROLLBACK TO SAVEPOINT branch');
      // The stand-in's rows were rolled back with the error; call order is proven by reaching the ALTER.
    } finally {
      await client.query('ROLLBACK');
    }
  });
});

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../prisma/index.ts';
import { createEmptyDatabase, type TestDatabase } from '../support/test-database.ts';

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
    expect(first.timescaledb).toBe(false);
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
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
    expect(rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(
      ['analyzer_watermarks', 'contracts', 'detected_signals', 'ohlc_bars', 'ticks']));
    const pk = await client.query<{ col: string }>(`
      SELECT a.attname AS col FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
       WHERE i.indrelid = 'ohlc_bars'::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`);
    expect(pk.rows.map((r) => r.col)).toEqual(['contract_id', 'timeframe_unit', 'timeframe_value', 'timestamp']);
  });

  it('keep the readable timeframe consistent with unit/value and reject impossible bars', async () => {
    const insert = (tf: string, high: number) => client.query(
      `INSERT INTO ohlc_bars (contract_id, "timestamp", open, high, low, close, volume, timeframe_unit, timeframe_value, timeframe)
       VALUES ('T', now(), 10, $2, 9, 10, 1, 2, 5, $1)`, [tf, high]);
    await expect(insert('5h', 11)).rejects.toThrow(/ohlc_bars_timeframe_label/);
    await expect(insert('5m', 8)).rejects.toThrow(/check constraint/);
    await insert('5m', 11);
    const { rows } = await client.query("SELECT timeframe_label(4::int2, 1) AS d, timeframe_label(6::int2, 1) AS mo");
    expect(rows[0]).toEqual({ d: '1d', mo: '1mo' });
  });

  it("leave plain tables when TimescaleDB is absent, and the TimescaleDB branch's calls resolve", async () => {
    const ht = await client.query("SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'timescaledb'");
    expect(ht.rows[0].n).toBe(0);
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
      await client.query("SET LOCAL search_path = timescale_stub, public");
      await client.query('SAVEPOINT branch');
      await expect(client.query('SELECT barstream_enable_timescaledb()')).rejects.toThrow(/unrecognized parameter namespace "timescaledb"/);
      await client.query('ROLLBACK TO SAVEPOINT branch');
      // The stand-in's rows were rolled back with the error; call order is proven by reaching the ALTER.
    } finally {
      await client.query('ROLLBACK');
    }
  });
});

// The import's upsert on a real PostgreSQL: every statement that writes ohlc_bars names its contract,
// timeframe and time range as constants (TimescaleDB prunes chunks and compressed batches only by
// those), no UPDATE … FROM join is sent, and the counts stay exact. On a server with TimescaleDB, writes
// into compressed chunks decompress only the written series' batches in the written chunk.
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ContractBar } from '../../core/src/index.ts';
import { inTransaction, type Pool } from '../../core/src/node/db-pool.ts';
import { upsertStatement } from '../../scripts/lib/history/bar-upsert.ts';
import { type SeriesWriteResult, upsertClosedBars } from '../../scripts/lib/history/bar-writer.ts';
import { historyPool } from '../../scripts/lib/history/history-database.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { noteSkippedWithoutTimescaleDb, serverHasTimescaleDb } from '../support/timescaledb.ts';

const timescale = await serverHasTimescaleDb();
if (!timescale) noteSkippedWithoutTimescaleDb('writes into compressed chunks');

const T0 = Date.parse('2025-03-17T14:00:00Z');
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

let db: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = historyPool(db.url);
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});
beforeEach(async () => {
  await pool.query('TRUNCATE ohlc_bars');
});

function bar(contractId: string, value: number, time: number, volume = 1): ContractBar {
  return { contractId, unit: 2, value, time, open: 100, high: 101, low: 99, close: 100.5, volume, isClosed: true };
}

/** Writes `bars` as the import does, returning its results and every SQL text it sent. */
async function write(bars: readonly ContractBar[]): Promise<{ results: SeriesWriteResult[]; sql: string[] }> {
  return inTransaction(pool, async (client) => {
    const spy = vi.spyOn(client, 'query');
    try {
      const results = await upsertClosedBars(client, bars);
      return { results, sql: spy.mock.calls.map((call) => call[0]).filter((q): q is string => typeof q === 'string') };
    } finally {
      spy.mockRestore();
    }
  });
}

const writesOhlcBars = (sql: string): boolean => /\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM|MERGE\s+INTO)\s+ohlc_bars\b/i.test(sql);

describe('the import upsert', () => {
  it('bounds every statement that writes ohlc_bars by contract, timeframe and time range, and counts exactly', async () => {
    const stored = [
      ...Array.from({ length: 10 }, (_, i) => i)
        .filter((i) => i !== 5)
        .map((i) => bar('A', 1, T0 + i * MINUTE)),
      ...Array.from({ length: 4 }, (_, i) => bar('B', 5, T0 + i * 5 * MINUTE)),
    ];
    await write(stored);
    // A: minute 3 changed, minute 5 new (inside the stored span, so not COPYed), minute 7 as stored; B: one changed.
    const { results, sql } = await write([
      bar('A', 1, T0 + 3 * MINUTE, 2),
      bar('A', 1, T0 + 5 * MINUTE),
      bar('A', 1, T0 + 7 * MINUTE),
      bar('B', 5, T0 + 10 * MINUTE, 3),
    ]);
    expect(
      results.map(({ contractId, rows, inserted, updated, unchanged }) => ({ contractId, rows, inserted, updated, unchanged })),
    ).toEqual([
      { contractId: 'A', rows: 3, inserted: 1, updated: 1, unchanged: 1 },
      { contractId: 'B', rows: 1, inserted: 0, updated: 1, unchanged: 0 },
    ]);
    const writes = sql.filter(writesOhlcBars);
    expect(writes).toHaveLength(2);
    expect(writes.filter((q) => /\bUPDATE\s+ohlc_bars\b/i.test(q))).toEqual([]);
    expect(writes[0]).toContain(`x.contract_id = 'A' AND x.timeframe_unit = 2 AND x.timeframe_value = 1`);
    expect(writes[0]).toContain(`x."timestamp" BETWEEN timestamptz '2025-03-17T14:03:00.000Z' AND timestamptz '2025-03-17T14:05:00.000Z'`);
    expect(writes[1]).toContain(`x.contract_id = 'B' AND x.timeframe_unit = 2 AND x.timeframe_value = 5`);
    expect(writes[1]).toContain(`x."timestamp" BETWEEN timestamptz '2025-03-17T14:10:00.000Z' AND timestamptz '2025-03-17T14:10:00.000Z'`);
    const { rows } = await pool.query<{ c: string; t: Date; volume: number }>(
      'SELECT contract_id AS c, "timestamp" AS t, volume FROM ohlc_bars WHERE volume <> 1 OR (contract_id = \'A\' AND "timestamp" = $1) ORDER BY 1, 2',
      [new Date(T0 + 5 * MINUTE)],
    );
    expect(rows.map((r) => [r.c, r.t.getTime() - T0, r.volume])).toEqual([
      ['A', 3 * MINUTE, 2],
      ['A', 5 * MINUTE, 1],
      ['B', 10 * MINUTE, 3],
    ]);
  });

  it('gives the planner constants, not a join, to bound the rows it reads (EXPLAIN)', async () => {
    const sql = upsertStatement(
      (s) => pg.Client.prototype.escapeLiteral(s),
      { contractId: "O'Brien", unit: 2, value: 15, label: '15m' },
      T0,
      T0 + DAY,
    );
    const plan = await inTransaction(pool, async (client) => {
      await client.query("SET LOCAL TimeZone = 'UTC'");
      await client.query('CREATE TEMP TABLE barstream_bar_import (LIKE ohlc_bars) ON COMMIT DROP');
      return JSON.stringify((await client.query(`EXPLAIN (FORMAT JSON) ${sql}`)).rows[0]);
    });
    // The scan of the staged rows filters by constants (a join with ohlc_bars would bound nothing).
    const filter = /"Relation Name":"barstream_bar_import"[^}]*?"Filter":"((?:[^"\\]|\\.)*)"/.exec(plan)?.[1]?.replaceAll('\\"', '"');
    // Each bound a constant of its column's type (the planner orders them by its own cost estimate).
    for (const bound of [
      `("timestamp" >= '2025-03-17 14:00:00+00'::timestamp with time zone)`,
      `("timestamp" <= '2025-03-18 14:00:00+00'::timestamp with time zone)`,
      "(contract_id = 'O''Brien'::text)",
      '(timeframe_unit = 2)',
      '(timeframe_value = 15)',
    ])
      expect(filter).toContain(bound);
    expect(plan).not.toMatch(/Join/);
  });
});

describe.runIf(timescale)('writes into compressed chunks (TimescaleDB)', () => {
  const START = Date.parse('2025-01-01T00:00:00Z');
  const HOURS = 90 * 24;

  /** Per chunk of ohlc_bars, the contracts with rows outside compressed batches (rows decompressed by a write). */
  async function decompressed(): Promise<Record<string, string[]>> {
    const chunks = await pool.query<{ chunk: string }>("SELECT c::text AS chunk FROM show_chunks('ohlc_bars') c ORDER BY 1");
    const out: Record<string, string[]> = {};
    for (const { chunk } of chunks.rows) {
      const { rows } = await pool.query<{ c: string }>(`SELECT DISTINCT contract_id AS c FROM ONLY ${chunk} ORDER BY 1`);
      if (rows.length > 0) out[chunk] = rows.map((r) => r.c);
    }
    return out;
  }

  /** The chunk holding time `time`, spelt as show_chunks spells it. */
  async function chunkOf(time: number): Promise<string> {
    const { rows } = await pool.query<{ chunk: string }>(
      `SELECT format('%I.%I', chunk_schema, chunk_name)::regclass::text AS chunk
      FROM timescaledb_information.chunks WHERE hypertable_name = 'ohlc_bars' AND range_start <= $1 AND range_end > $1`,
      [new Date(time)],
    );
    expect(rows).toHaveLength(1);
    return rows[0]?.chunk as string;
  }

  it('updates and inserts one bar, decompressing only that series in that chunk, with exact counts', async () => {
    const series = (c: string) => Array.from({ length: HOURS }, (_, i) => bar(c, 60, START + i * HOUR));
    await write([...series('A'), ...series('B')]);
    await pool.query("SELECT compress_chunk(c, if_not_compressed => true) FROM show_chunks('ohlc_bars') c");
    expect(await decompressed()).toEqual({});

    const changedAt = START + 45 * DAY;
    const first = await write([bar('A', 60, changedAt, 7), bar('A', 60, changedAt + 30 * MINUTE, 8)]);
    expect(first.results.map(({ inserted, updated, unchanged }) => ({ inserted, updated, unchanged }))).toEqual([
      { inserted: 1, updated: 1, unchanged: 0 },
    ]);
    const { rows } = await pool.query<{ t: Date; volume: number }>(
      `SELECT "timestamp" AS t, volume FROM ohlc_bars WHERE contract_id = 'A' AND volume > 1 ORDER BY 1`,
    );
    expect(rows.map((r) => [r.t.getTime(), r.volume])).toEqual([
      [changedAt, 7],
      [changedAt + 30 * MINUTE, 8],
    ]);
    expect(await decompressed()).toEqual({ [await chunkOf(changedAt)]: ['A'] });

    // The same bars again: compared with what is stored, nothing written, nothing more decompressed.
    const again = await write([bar('A', 60, changedAt, 7), bar('A', 60, changedAt + 30 * MINUTE, 8)]);
    expect(again.results.map(({ unchanged }) => unchanged)).toEqual([2]);
    expect(again.sql.filter(writesOhlcBars)).toEqual([]);
    expect(await decompressed()).toEqual({ [await chunkOf(changedAt)]: ['A'] });
    expect((await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM ohlc_bars')).rows[0]?.n).toBe(2 * HOURS + 1);
  }, 60_000);
});

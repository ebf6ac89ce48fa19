// The bar writer's two paths on a real PostgreSQL: bars no stored bar can collide with are COPYed
// straight into ohlc_bars; the rest are compared with what is stored and upserted. Both must leave the
// same table, report the same counts and send the same bars_imported; the COPY must give way to the
// upsert where a stored bar (seen or concurrent) meets it; a streamed file with a bad row commits nothing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ContractBar, type TimeframeUnit } from '../../core/src/index.ts';
import { inTransaction, type Pool } from '../../core/src/node/db-pool.ts';
import { BarColumns } from '../../scripts/lib/history/bar-columns.ts';
import { importBarFile } from '../../scripts/lib/history/bar-file-import.ts';
import { ClosedBarWriter, type SeriesWriteResult } from '../../scripts/lib/history/bar-writer.ts';
import { historyPool } from '../../scripts/lib/history/history-database.ts';
import { ChannelListener } from '../support/channel-listener.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

const T0 = Date.parse('2025-03-17T14:00:00Z');
const MINUTE = 60_000;

let db: TestDatabase;
let pool: Pool;
let listener: ChannelListener<'barsImported'>;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = historyPool(db.url);
  listener = await ChannelListener.listen(db.url, 'barsImported');
  dir = mkdtempSync(join(tmpdir(), 'barstream-fast-path-'));
});
afterAll(async () => {
  await listener?.end();
  await pool?.end();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await pool.query('TRUNCATE ohlc_bars');
  listener.clear();
});

/** `count` minute bars of a series from `first`, with prices that differ bar to bar (and exact fractions). */
function bars(
  contractId: string,
  count: number,
  options: { first?: number; unit?: TimeframeUnit; value?: number; step?: number; shift?: number } = {},
): ContractBar[] {
  const { first = T0, unit = 2, value = 1, step = MINUTE, shift = 0 } = options;
  return Array.from({ length: count }, (_, i): ContractBar => {
    const base = 5000 + (i % 37) * 0.25 + 0.1;
    return {
      contractId,
      unit,
      value,
      time: first + i * step,
      open: base,
      high: base + 2.5,
      low: base - 1.75,
      close: base + 0.5 + shift,
      volume: (i * 7) / 3,
      isClosed: true,
    };
  });
}

async function write(
  input: readonly ContractBar[],
  options: { direct?: boolean } = {},
): Promise<{ results: SeriesWriteResult[]; direct: number }> {
  return inTransaction(pool, async (client) => {
    const writer = new ClosedBarWriter(client, BarColumns.fromBars(input), options);
    await writer.add(0);
    const results = await writer.finish();
    return { results, direct: writer.copiedDirectly };
  });
}

/** Every stored column but updated_at, in key order. */
async function table(): Promise<unknown[]> {
  const { rows } = await pool.query<
    Record<string, unknown>
  >(`SELECT contract_id, (extract(epoch FROM "timestamp") * 1000)::float8 AS t, open, high, low, close, volume,
      timeframe_unit, timeframe_value, timeframe, is_closed FROM ohlc_bars ORDER BY contract_id, timeframe_unit, timeframe_value, "timestamp"`);
  return rows;
}

/** The notifications sent so far, once `count` have arrived (and a moment later, for any that must not). */
function notifications(count: number): Promise<unknown[]> {
  return listener.take(count, 150);
}

const counts = (results: readonly SeriesWriteResult[]) =>
  results.map((r) => [r.contractId, r.rows, r.inserted, r.updated, r.unchanged, r.changedFrom, r.changedTo]);

describe('bars into a range with nothing stored', () => {
  it('are COPYed straight in, leaving the table, counts and notifications the upsert leaves', async () => {
    // Two series, one interleaved out of order, around an unrelated stored bar of another series.
    const input = [
      ...bars('A.X', 300),
      ...bars('B.X', 200, { unit: 3, step: 3_600_000 }).reverse(),
      ...bars('A.X', 50, { first: T0 + 400 * MINUTE }),
    ];
    await pool.query(
      `INSERT INTO ohlc_bars (contract_id, "timestamp", open, high, low, close, volume, timeframe_unit, timeframe_value, timeframe, is_closed)
      VALUES ('C.X', $1, 1, 1, 1, 1, 1, 2, 1, '1m', true)`,
      [new Date(T0)],
    );
    const fast = await write(input);
    const fastTable = await table();
    const fastSent = await notifications(2);
    await pool.query(`DELETE FROM ohlc_bars WHERE contract_id <> 'C.X'`);
    const general = await write(input, { direct: false });

    expect(fast.direct).toBe(550);
    expect(general.direct).toBe(0);
    expect(counts(fast.results)).toEqual(counts(general.results));
    expect(counts(fast.results)).toEqual([
      ['A.X', 350, 350, 0, 0, T0, T0 + 449 * MINUTE],
      ['B.X', 200, 200, 0, 0, T0, T0 + 199 * 3_600_000],
    ]);
    expect(await table()).toEqual(fastTable);
    expect(fastTable).toHaveLength(551);
    expect(await notifications(2)).toEqual(fastSent);
    expect(fastSent).toEqual([
      {
        type: 'bars_imported',
        contract_id: 'A.X',
        timeframe_unit: 2,
        timeframe_value: 1,
        from: new Date(T0).toISOString(),
        to: new Date(T0 + 449 * MINUTE).toISOString(),
        count: 350,
      },
      {
        type: 'bars_imported',
        contract_id: 'B.X',
        timeframe_unit: 3,
        timeframe_value: 1,
        from: new Date(T0).toISOString(),
        to: new Date(T0 + 199 * 3_600_000).toISOString(),
        count: 200,
      },
    ]);
  });

  it('stop at the first bar a stored one could collide with; from there on the upsert decides', async () => {
    const input = bars('A.X', 100);
    const stored = input[60] as ContractBar;
    const other = input[80] as ContractBar;
    await pool.query(
      `INSERT INTO ohlc_bars (contract_id, "timestamp", open, high, low, close, volume, timeframe_unit, timeframe_value, timeframe, is_closed)
      VALUES ('A.X', $1, $2, $3, $4, $5, $6, 2, 1, '1m', true), ('A.X', $7, 1, 1, 1, 1, 1, 2, 1, '1m', true)`,
      [new Date(stored.time), stored.open, stored.high, stored.low, stored.close, stored.volume, new Date(other.time)],
    );
    const { results, direct } = await write(input);
    expect(direct).toBe(60);
    expect(counts(results)).toEqual([['A.X', 100, 98, 1, 1, T0, T0 + 99 * MINUTE]]);
    expect(await notifications(1)).toEqual([
      {
        type: 'bars_imported',
        contract_id: 'A.X',
        timeframe_unit: 2,
        timeframe_value: 1,
        from: new Date(T0).toISOString(),
        to: new Date(T0 + 99 * MINUTE).toISOString(),
        count: 99,
      },
    ]);
    const values = (await table()).map((r) => {
      const { contract_id: _, ...rest } = r as Record<string, unknown>;
      return rest;
    });
    expect(values).toEqual(
      input.map((b) => ({
        t: b.time,
        open: b.open,
        high: b.high,
        low: b.low,
        close: b.close,
        volume: b.volume,
        timeframe_unit: 2,
        timeframe_value: 1,
        timeframe: '1m',
        is_closed: true,
      })),
    );
  });

  it('give way to the upsert when a concurrent writer holds a key the probe could not see', async () => {
    const input = bars('A.X', 500);
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(
        `INSERT INTO ohlc_bars (contract_id, "timestamp", open, high, low, close, volume, timeframe_unit, timeframe_value, timeframe, is_closed)
        VALUES ('A.X', $1, 1, 1, 1, 1, 1, 2, 1, '1m', false)`,
        [new Date(T0 + 250 * MINUTE)],
      );
      const writing = write(input);
      // The COPY now waits on that key; once it commits, the COPY fails and is undone as a whole.
      await new Promise((r) => setTimeout(r, 300));
      await other.query('COMMIT');
      const { results, direct } = await writing;
      expect(direct).toBe(0);
      expect(counts(results)).toEqual([['A.X', 500, 499, 1, 0, T0, T0 + 499 * MINUTE]]);
      expect(await table()).toHaveLength(500);
      expect(await notifications(1)).toMatchObject([{ contract_id: 'A.X', count: 500 }]);
    } finally {
      await other.end();
    }
  });
});

describe('bars already stored', () => {
  it('are compared, not written, when unchanged: nothing updated, nothing sent', async () => {
    const input = bars('A.X', 300);
    await write(input);
    await notifications(1);
    const before = (await pool.query('SELECT updated_at FROM ohlc_bars ORDER BY "timestamp"')).rows;
    const again = await write(input);
    expect(again.direct).toBe(0);
    expect(counts(again.results)).toEqual([['A.X', 300, 0, 0, 300, undefined, undefined]]);
    expect(await notifications(0)).toEqual([]);
    expect((await pool.query('SELECT updated_at FROM ohlc_bars ORDER BY "timestamp"')).rows).toEqual(before);
  });

  it('are updated when a value differs or the stored bar is not closed, and only those', async () => {
    const input = bars('A.X', 300);
    await write(input);
    await notifications(1);
    await pool.query(`UPDATE ohlc_bars SET is_closed = false WHERE "timestamp" = $1`, [new Date(T0 + 10 * MINUTE)]);
    await pool.query(`UPDATE ohlc_bars SET volume = volume + 1 WHERE "timestamp" = $1`, [new Date(T0 + 200 * MINUTE)]);
    const again = await write([...input, ...bars('A.X', 5, { first: T0 + 300 * MINUTE })]);
    expect(counts(again.results)).toEqual([['A.X', 305, 5, 2, 298, T0 + 10 * MINUTE, T0 + 304 * MINUTE]]);
    expect(await notifications(1)).toMatchObject([{ count: 7 }]);
    expect((await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM ohlc_bars WHERE NOT is_closed')).rows[0]?.n).toBe(0);
  });
});

describe('a file written while it is parsed', () => {
  // More lines than one parsed piece (16,384), so the first pieces are COPYed before the bad row is read.
  const LINES = 40_000;
  const kline = (i: number): string => {
    const t = T0 + i * MINUTE;
    return `${t},100.5,101.25,99.75,100.75,${i % 10},${t + 59_999},0,1,0,0,0`;
  };

  it('commits nothing and sends nothing when a row near its end is bad', async () => {
    const lines = Array.from({ length: LINES }, (_, i) => kline(i));
    lines[LINES - 10] = `${T0},1,1,1,1,1,${T0 + 59_999}`; // a second row for the first bar
    lines[LINES - 5] = lines[LINES - 5]!.replace('101.25', '99'); // high below open
    const path = join(dir, 'BTCUSDT-1m-2025-03.csv');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const report = await importBarFile(pool, path);
    expect(report.committed).toBe(false);
    expect(report.barCount).toBe(LINES - 2);
    expect(report.errors).toEqual([
      { line: LINES - 9, reason: `duplicate of line 1 (BTCUSDT 1m ${new Date(T0).toISOString()})` },
      { line: LINES - 4, reason: 'high 99 / low 99.75 do not contain open 100.5 and close 100.75' },
    ]);
    expect(await table()).toEqual([]);
    expect(await notifications(0)).toEqual([]);

    const skipped = await importBarFile(pool, path, { skipBadRows: true });
    expect(skipped.committed).toBe(true);
    expect(counts(skipped.results)).toEqual([['BTCUSDT', LINES - 2, LINES - 2, 0, 0, T0, T0 + (LINES - 1) * MINUTE]]);
    expect(await table()).toHaveLength(LINES - 2);
  });
});

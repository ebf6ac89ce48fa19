// Shared setup of the bar import/export integration tests: a test database with the history pool, a
// temporary directory for the CSVs a test writes, an empty table before each test, and the row builders
// and read-backs the tests use. Call useBarImportFixture() once at the top of a test file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Pool } from '../../core/src/node/db-pool.ts';
import { historyPool } from '../../scripts/lib/history/history-database.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

export const HEADER = 'contract_id,timestamp,open,high,low,close,volume,timeframe_unit,timeframe_value';
export const T0 = Date.parse('2025-03-17T14:00:00Z');

// Assigned by useBarImportFixture()'s beforeAll; live bindings, so importers see the values.
export let db: TestDatabase;
export let pool: Pool;
export let dir: string;

export function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

export const stamp = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ') + '+00:00';
export const row = (contract: string, ms: number, o: number, h: number, l: number, c: number, v: number, unit = 2, value = 5): string =>
  `${contract},${stamp(ms)},${o},${h},${l},${c},${v},${unit},${value}`;

export async function stored(
  contractId: string,
  unit: number,
  value: number,
): Promise<Array<[number, number, number, number, number, number]>> {
  const { rows } = await pool.query<{ t: number; open: number; high: number; low: number; close: number; volume: number }>(
    `SELECT (extract(epoch FROM "timestamp") * 1000)::float8 AS t, open, high, low, close, volume FROM ohlc_bars
      WHERE contract_id = $1 AND timeframe_unit = $2 AND timeframe_value = $3 AND is_closed ORDER BY 1`,
    [contractId, unit, value],
  );
  return rows.map((r) => [r.t, r.open, r.high, r.low, r.close, r.volume]);
}

export const count = async (): Promise<number> => (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM ohlc_bars')).rows[0]!.n;

/** Registers the file's hooks: database and directory up once, an empty table before each test. */
export function useBarImportFixture(): void {
  beforeAll(async () => {
    db = await createTestDatabase();
    pool = historyPool(db.url);
    dir = mkdtempSync(join(tmpdir(), 'barstream-import-'));
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await pool.query('TRUNCATE ohlc_bars');
  });
}

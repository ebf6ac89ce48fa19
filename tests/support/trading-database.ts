// The trading tests' shared ground: one migrated database per test file holding the fixture's contract
// (and bars), with a pool of four, dropped after the file's last test.
import type { OhlcBar } from '@barstream/core';
import { createPool, type Pool } from '@barstream/core/node';
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from './test-database.ts';
import { insertBars, insertContract } from './trading-fixture.ts';

export interface TradingDatabase {
  readonly db: TestDatabase;
  readonly pool: Pool;
}

/** Registers this file's beforeAll/afterAll: `ready` gets the database (the contract and `bars` stored)
 * and its pool before the first test; both go after the last. */
export function useTradingDatabase(bars: readonly OhlcBar[], ready: (ground: TradingDatabase) => void): void {
  let db: TestDatabase | undefined;
  let pool: Pool | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
    pool = createPool(db.url, { max: 4 });
    await insertContract(pool);
    if (bars.length > 0) await insertBars(pool, bars);
    ready({ db, pool });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });
}

// The trading tests' shared ground: one migrated database per test file holding the fixture's contract
// (and bars), with a pool of four, dropped after the file's last test.
import type { OhlcBar } from '@barstream/core';
import { insertBars, insertContract } from './trading-fixture.ts';
import { useTestDatabase, type TestDatabaseGround } from './use-test-database.ts';

export type TradingDatabase = TestDatabaseGround;

/** Registers this file's beforeAll/afterAll: `ready` gets the database (the contract and `bars` stored)
 * and its pool before the first test; both go after the last. */
export function useTradingDatabase(bars: readonly OhlcBar[], ready: (ground: TradingDatabase) => void): void {
  useTestDatabase(
    async (ground) => {
      await insertContract(ground.pool);
      if (bars.length > 0) await insertBars(ground.pool, bars);
      ready(ground);
    },
    { max: 4 },
  );
}

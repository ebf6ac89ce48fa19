// One migrated database per test file and a pool on it: the ground most integration tests stand on.
import { afterAll, beforeAll } from 'vitest';
import { createPool, type Pool } from '../../core/src/node/db-pool.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

export interface TestDatabaseGround {
  readonly db: TestDatabase;
  readonly pool: Pool;
}

/** Registers this file's beforeAll/afterAll: `ready` gets the database and its pool (`max` connections,
 * 10 unless told) before the first test (awaited when it returns a promise); after the last, the pool is
 * ended and the database dropped. */
export function useTestDatabase(ready: (ground: TestDatabaseGround) => unknown, options: { max?: number } = {}): void {
  let db: TestDatabase | undefined;
  let pool: Pool | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
    pool = createPool(db.url, { max: options.max });
    await ready({ db, pool });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });
}

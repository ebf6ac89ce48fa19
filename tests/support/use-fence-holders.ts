// The lease-fence tests' ground: one database with its contracts, two ingesters' pools on it (A, the
// holder that dies; B, the taker), an admin client to end A's sessions, and cleanups run after each test
// (passed or not: a failed test must not leave its leases to the next), the pools and database after the file.
import pg from 'pg';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { ContractSettings } from '../../core/src/index.ts';
import { createPool, type Pool } from '../../core/src/node.ts';
import { syncContracts } from '../../ingester/src/contract-sync.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

export interface FenceHolders {
  readonly db: TestDatabase;
  readonly poolA: Pool;
  readonly poolB: Pool;
  readonly admin: pg.Client;
}

/** Registers the file's hooks; `ready` gets the ground before the first test. Returns the list each
 * test pushes its cleanups to (run in reverse after the test). */
export function useFenceHolders(
  contracts: readonly ContractSettings[],
  ready: (ground: FenceHolders) => void,
  options: { applicationNameA?: string } = {},
): (() => Promise<unknown>)[] {
  let ground: FenceHolders | undefined;
  const cleanups: (() => Promise<unknown>)[] = [];
  beforeAll(async () => {
    const db = await createTestDatabase();
    const admin = new pg.Client({ connectionString: db.url });
    ground = {
      db,
      poolA: createPool(db.url, { max: 2, ...(options.applicationNameA ? { applicationName: options.applicationNameA } : {}) }),
      poolB: createPool(db.url, { max: 2 }),
      admin,
    };
    await admin.connect();
    await syncContracts(ground.poolB, contracts);
    ready(ground);
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });
  afterAll(async () => {
    await ground?.admin.end();
    await ground?.poolA.end();
    await ground?.poolB.end();
    await ground?.db.drop();
  });
  return cleanups;
}

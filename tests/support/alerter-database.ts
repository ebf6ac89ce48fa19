// The alerter tests' shared ground: one migrated database and pool per test file, the alerter a test
// started stopped after its last test, and the reads they check the alerter's progress with.
import { afterAll, beforeAll } from 'vitest';
import type { AlerterService } from '../../alerter/src/alerter-service.ts';
import { createPool, type Pool } from '../../core/src/node/db-pool.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

export interface AlerterDatabase {
  readonly db: TestDatabase;
  readonly pool: Pool;
}

/** Registers this file's beforeAll/afterAll: `ready` gets the database and its pool before the first
 * test; after the last, the alerter `running` returns is stopped, then the pool and the database. */
export function useAlerterDatabase(ready: (ground: AlerterDatabase) => void, running: () => AlerterService | undefined): void {
  let db: TestDatabase | undefined;
  let pool: Pool | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
    pool = createPool(db.url);
    ready({ db, pool });
  });
  afterAll(async () => {
    await running()?.stop();
    await pool?.end();
    await db?.drop();
  });
}

/** The reads the alerter tests check its progress with, on the file's pool once it is ready. */
export function alerterReads(pool: () => Pool) {
  return {
    /** The stored alerts' keys, sorted. */
    storedKeys: async (): Promise<string[]> => {
      const { rows } = await pool().query<{ alert_key: string }>('SELECT alert_key FROM alerts ORDER BY alert_key');
      return rows.map((r) => r.alert_key);
    },
    /** The alerter's watermark (epoch ms); 0 before it stored one. */
    alerterWatermark: async (): Promise<number> => {
      const { rows } = await pool().query<{ t: number }>(
        `SELECT (extract(epoch FROM last_processed_timestamp) * 1000)::float8 AS t FROM analyzer_watermarks
          WHERE analyzer_id = 'alerter' AND timeframe = '*'`,
      );
      return rows[0]?.t ?? 0;
    },
    /** Empties what an alerter test stores, for the next test of the file. */
    truncate: async (): Promise<void> => {
      await pool().query('TRUNCATE alerts, ohlc_bars, detected_signals, analyzer_watermarks, alerter_progress CASCADE');
    },
  };
}

// Whether the test server has TimescaleDB (as migration 002 decides: available and preloaded). Tests of
// TimescaleDB-only behaviour skip with a message when it has not, so TEST_DATABASE_URL can point the
// whole suite at any PostgreSQL.
import pg from 'pg';
import { inject } from 'vitest';

let answer: Promise<boolean> | undefined;

export function serverHasTimescaleDb(): Promise<boolean> {
  answer ??= (async () => {
    const client = new pg.Client({ connectionString: inject('testDatabase').maintenanceUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ ok: boolean }>(`SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')
        AND current_setting('shared_preload_libraries') LIKE '%timescaledb%' AS ok`);
      return rows[0]?.ok === true;
    } finally {
      await client.end();
    }
  })();
  return answer;
}

/** Says (once per file) why TimescaleDB-only tests of `what` are skipped. */
export function noteSkippedWithoutTimescaleDb(what: string): void {
  console.warn(
    `skipping ${what}: the test server has no TimescaleDB (available and in shared_preload_libraries); ` +
      'point TEST_DATABASE_URL at one to run them',
  );
}

// Ctrl-C promises that `npm start` stops within 5 seconds, the database last. When the database's fast
// shutdown cannot finish in its share of that time (a backend that does not end, a long shutdown
// checkpoint after heavy ingest), the server is told to stop at once (immediate shutdown) instead of
// being left running: nothing is left behind, and nothing committed is lost (the next start replays the WAL).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddedDatabaseUrl } from '../../core/src/node.ts';
import { type EmbeddedDatabase, startEmbeddedDatabase } from '../../scripts/lib/embedded-database.ts';
import { eventually } from '../support/eventually.ts';
import { freePort } from '../support/free-port.ts';

const dir = mkdtempSync(join(tmpdir(), 'barstream-db-stop-'));
const dataDir = join(dir, 'pg');
let db: EmbeddedDatabase | undefined;
let held: number | undefined;

afterAll(async () => {
  if (held !== undefined) signal(held, 'SIGCONT');
  await db?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('stopping the embedded database within a deadline', () => {
  it('escalates to an immediate shutdown when the fast one cannot finish, and loses nothing committed', async () => {
    const port = await freePort();
    const log: string[] = [];
    db = await startEmbeddedDatabase({ dataDir, port, database: 'stopping', onLog: (l) => log.push(l) });
    const url = embeddedDatabaseUrl(port, 'stopping');
    await query(url, 'CREATE TABLE kept AS SELECT g AS n FROM generate_series(1, 1000) g');

    // A backend that cannot end: a fast shutdown waits for every backend before its checkpoint.
    const stuck = new pg.Client({ connectionString: url });
    stuck.on('error', () => undefined);
    await stuck.connect();
    const [{ pid }] = (await stuck.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows as [{ pid: number }];
    held = pid;
    signal(pid, 'SIGSTOP');

    const stopped = db.stop(300);
    await eventually(() => log.some((l) => l.includes('received immediate shutdown request')));
    expect(log.some((l) => l.includes('received fast shutdown request'))).toBe(true);
    signal(pid, 'SIGCONT');
    held = undefined;
    await stopped;
    db = undefined;
    await eventually(() => !alive(pid));

    // The next start recovers from the WAL and has every committed row.
    const again: string[] = [];
    db = await startEmbeddedDatabase({ dataDir, port, database: 'stopping', onLog: (l) => again.push(l) });
    expect(again.some((l) => /not properly shut down|automatic recovery in progress/.test(l))).toBe(true);
    const [{ count }] = (await query<{ count: string }>(url, 'SELECT count(*) AS count FROM kept')) as [{ count: string }];
    expect(Number(count)).toBe(1000);
  }, 60_000);
});

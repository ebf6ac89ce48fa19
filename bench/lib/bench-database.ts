// A migrated PostgreSQL for a benchmark: BENCH_DATABASE_URL, or an embedded server in a temp dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { applyMigrations } from '../../prisma/index.ts';
import { startEmbeddedDatabase } from '../../scripts/lib/embedded-database.ts';
import { freePort } from '../../tests/support/free-port.ts';

export interface BenchDatabase {
  readonly url: string;
  readonly label: string;
  stop(): Promise<void>;
}

/** The settings that decide bulk-write speed, as the server reports them. */
async function serverSettings(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string; setting: string }>(`SELECT name, current_setting(name) AS setting
      FROM unnest(ARRAY['shared_buffers', 'wal_buffers', 'max_wal_size']) AS name
      UNION ALL SELECT 'collation', CASE datlocprovider WHEN 'b' THEN 'builtin ' ELSE 'libc ' END || datcollate
      FROM pg_database WHERE datname = current_database()`);
    return rows.map((r) => `${r.name} ${r.setting}`).join(', ');
  } finally {
    await client.end();
  }
}

export async function benchDatabase(): Promise<BenchDatabase> {
  const external = process.env.BENCH_DATABASE_URL;
  if (external) {
    await applyMigrations(external);
    return { url: external, label: 'BENCH_DATABASE_URL', stop: async () => undefined };
  }
  const dir = mkdtempSync(join(tmpdir(), 'barstream-bench-'));
  const db = await startEmbeddedDatabase({ dataDir: join(dir, 'pg'), port: await freePort(), database: 'bench' });
  await applyMigrations(db.url);
  return { url: db.url, label: `embedded PostgreSQL 17 (${await serverSettings(db.url)})`, stop: async () => { await db.stop(); rmSync(dir, { recursive: true, force: true }); } };
}

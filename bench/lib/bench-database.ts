// A migrated PostgreSQL for a benchmark: BENCH_DATABASE_URL, or an embedded server in a temp dir (bench:import
// runs on both and says which server kind each figure is from).
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
  /** The embedded server's directory on this machine (its data is under it); undefined for BENCH_DATABASE_URL. */
  readonly dir?: string;
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

/** "TimescaleDB 2.22.1 on PostgreSQL 15.20" or "plain PostgreSQL 17.5": what a figure was measured on. */
export async function serverKind(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pg: string; ts: string | null }>(`SELECT current_setting('server_version') AS pg,
      (SELECT extversion FROM pg_extension WHERE extname = 'timescaledb') AS ts`);
    const version = (rows[0]?.pg ?? '?').split(' ')[0] ?? '?';
    return rows[0]?.ts ? `TimescaleDB ${rows[0].ts} on PostgreSQL ${version}` : `plain PostgreSQL ${version}`;
  } finally {
    await client.end();
  }
}

export interface KindedBenchDatabase extends BenchDatabase {
  /** serverKind's answer. */
  readonly kind: string;
  /** The server runs on this machine as a child of the bench (its backends' CPU time is readable in /proc). */
  readonly local: boolean;
}

/** BENCH_DATABASE_URL's server, migrated; undefined when it is not set. */
export async function externalBenchDatabase(): Promise<KindedBenchDatabase | undefined> {
  const external = process.env.BENCH_DATABASE_URL;
  if (!external) return undefined;
  await applyMigrations(external);
  return { url: external, label: 'BENCH_DATABASE_URL', kind: await serverKind(external), local: false, stop: async () => undefined };
}

/** An embedded PostgreSQL in a temp dir, migrated (plain: it has no TimescaleDB). */
export async function embeddedBenchDatabase(): Promise<KindedBenchDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'barstream-bench-'));
  const db = await startEmbeddedDatabase({ dataDir: join(dir, 'pg'), port: await freePort(), database: 'bench' });
  await applyMigrations(db.url);
  return {
    url: db.url,
    label: `embedded PostgreSQL 17 (${await serverSettings(db.url)})`,
    kind: await serverKind(db.url),
    local: true,
    dir,
    stop: async () => {
      await db.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** BENCH_DATABASE_URL's server if set, else an embedded one. */
export async function benchDatabase(): Promise<BenchDatabase> {
  return (await externalBenchDatabase()) ?? embeddedBenchDatabase();
}

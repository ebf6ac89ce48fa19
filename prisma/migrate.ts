// Applies prisma/migrations/*.sql with postgrator: plain SQL files, checksums of applied files
// verified, all pending files in one transaction, serialised across processes by an advisory lock.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import Postgrator from 'postgrator';

const MIGRATIONS_GLOB = join(dirname(fileURLToPath(import.meta.url)), 'migrations', '*.sql');
/** Arbitrary constant shared by every barstream process that migrates. */
const MIGRATION_LOCK_KEY = 7_246_001;

export interface MigrationResult {
  readonly applied: string[];
  readonly version: number;
  readonly timescaledb: boolean;
}

export async function applyMigrations(connectionString: string): Promise<MigrationResult> {
  const client = new pg.Client({ connectionString, application_name: 'barstream-migrate' });
  client.on('error', () => undefined); // a lost connection fails the running query; never the process
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const { rows } = await client.query<{ db: string }>('SELECT current_database() AS db');
    const postgrator = new Postgrator({
      migrationPattern: MIGRATIONS_GLOB,
      driver: 'pg',
      database: rows[0]?.db ?? 'postgres',
      schemaTable: 'barstream_schema_version',
      execQuery: (query: string) => client.query(query),
    });
    await client.query('BEGIN');
    let applied: Array<{ name: string; version: number }>;
    try {
      applied = await postgrator.migrate();
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
    const version = Number(await postgrator.getDatabaseVersion());
    const ts = await client.query("SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'");
    return { applied: applied.map((m) => `${m.version}.${m.name}`), version, timescaledb: (ts.rowCount ?? 0) > 0 };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}

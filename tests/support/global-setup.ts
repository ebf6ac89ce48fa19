// vitest global setup: one real PostgreSQL for the run (embedded, or TEST_DATABASE_URL's server)
// holding a migrated template database that each test file clones.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from './free-port.ts';
import { applyMigrations } from '../../prisma/index.ts';
import { ensureDatabase, startEmbeddedDatabase } from '../../scripts/lib/embedded-database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabase: { maintenanceUrl: string; template: string };
  }
}

const TEMPLATE = `barstream_test_template_${process.pid}`;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // One temporary directory for the run: the test workers and the processes they start inherit it as
  // TMPDIR, so every temp dir a test makes (rules roots, config files, replay files) goes with it at the end.
  const runDir = mkdtempSync(join(tmpdir(), 'barstream-test-'));
  process.env.TMPDIR = runDir;
  const removeRunDir = (): void => rmSync(runDir, { recursive: true, force: true });
  let maintenanceUrl: string;
  let stopServer = async (): Promise<void> => undefined;
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    maintenanceUrl = external;
  } else {
    const db = await startEmbeddedDatabase({ dataDir: join(runDir, 'pg'), port: await freePort(), database: 'postgres' });
    maintenanceUrl = db.url;
    stopServer = () => db.stop();
  }
  await ensureDatabase(maintenanceUrl, TEMPLATE);
  await applyMigrations(withDatabase(maintenanceUrl, TEMPLATE));
  project.provide('testDatabase', { maintenanceUrl, template: TEMPLATE });
  return async () => {
    if (external) await dropDatabase(maintenanceUrl, TEMPLATE);
    await stopServer();
    removeRunDir();
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function dropDatabase(maintenanceUrl: string, name: string): Promise<void> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: maintenanceUrl });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  await client.end();
}

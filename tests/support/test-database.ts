// A fresh, migrated database per test file, cloned from the run's template (see global-setup.ts).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

export function createTestDatabase(): Promise<TestDatabase> {
  return createDatabase('bs_test', inject('testDatabase').template);
}

/** An empty database (no migrations), for testing the migrations themselves. */
export function createEmptyDatabase(): Promise<TestDatabase> {
  return createDatabase('bs_empty');
}

async function createDatabase(prefix: string, template?: string): Promise<TestDatabase> {
  const { maintenanceUrl } = inject('testDatabase');
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await adminQuery(
    maintenanceUrl,
    (c) => `CREATE DATABASE ${c.escapeIdentifier(name)}${template ? ` TEMPLATE ${c.escapeIdentifier(template)}` : ''}`,
  );
  const u = new URL(maintenanceUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    drop: () => adminQuery(maintenanceUrl, (c) => `DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`),
  };
}

async function adminQuery(url: string, sql: (c: pg.Client) => string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql(client));
  } finally {
    await client.end();
  }
}

// A fresh, migrated database per test file, cloned from the run's template (see global-setup.ts).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const { maintenanceUrl, template } = inject('testDatabase');
  const name = `bs_test_${randomBytes(5).toString('hex')}`;
  await adminQuery(maintenanceUrl, (c) => `CREATE DATABASE ${c.escapeIdentifier(name)} TEMPLATE ${c.escapeIdentifier(template)}`);
  const u = new URL(maintenanceUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    drop: () => adminQuery(maintenanceUrl, (c) => `DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`),
  };
}

/** An empty database (no migrations), for testing the migrations themselves. */
export async function createEmptyDatabase(): Promise<TestDatabase> {
  const { maintenanceUrl } = inject('testDatabase');
  const name = `bs_empty_${randomBytes(5).toString('hex')}`;
  await adminQuery(maintenanceUrl, (c) => `CREATE DATABASE ${c.escapeIdentifier(name)}`);
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

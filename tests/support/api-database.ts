// The alerts, rules, watchlist and destinations API tests' shared ground: one real PostgreSQL per test
// file with the two simulated contracts, Prisma as the route handlers use it, a pg client for checks,
// and the body helpers that stand for readJsonBody (a ValidationError naming the field).
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import type { z } from 'zod';
import { ValidationError } from '../../core/src/errors.ts';
import { createPrismaClient, type PrismaClient } from '../../prisma/prisma-client.ts';
import { bodyValidationError } from '../../web/lib/api/body-issue.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

export const REFS = { contracts: ['SIM.MES', 'SIM.MNQ'], timeframes: ['1m', '5m', '1h'], analyzerIds: ['cus_cds_trend_finder'] };

export interface ApiDatabase {
  readonly database: TestDatabase;
  readonly prisma: PrismaClient;
  readonly client: pg.Client;
  count(table: string): Promise<number>;
}

/** Registers this file's beforeAll/afterAll: the database is ready inside the tests. */
export function useApiDatabase(): ApiDatabase {
  let database: TestDatabase | undefined;
  let prisma: PrismaClient | undefined;
  let client: pg.Client | undefined;
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is used before beforeAll set it up`);
    return value;
  };
  beforeAll(async () => {
    database = await createTestDatabase();
    prisma = createPrismaClient(database.url, { max: 3 });
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query(
      `INSERT INTO contracts (id, provider, symbol) VALUES ('SIM.MES', 'simulated', 'MES'), ('SIM.MNQ', 'simulated', 'MNQ')`,
    );
  });
  afterAll(async () => {
    await client?.end();
    await prisma?.$disconnect();
    await database?.drop();
  });
  return {
    get database() {
      return ready(database, 'the test database');
    },
    get prisma() {
      return ready(prisma, 'prisma');
    },
    get client() {
      return ready(client, 'the pg client');
    },
    async count(table: string): Promise<number> {
      return Number((await ready(client, 'the pg client').query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n);
    },
  };
}

/** The body a handler would get, or the ValidationError readJsonBody throws. */
export function body<S extends z.ZodType>(schema: S, json: unknown): z.output<S> {
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  throw bodyValidationError(result.error);
}

export function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.field;
    throw err;
  }
  throw new Error('expected a ValidationError');
}

export async function rejectedField(work: Promise<unknown>): Promise<string> {
  const err: unknown = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ValidationError)) throw new Error(`expected a ValidationError, got ${String(err)}`);
  return err.field;
}

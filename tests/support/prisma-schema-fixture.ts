// The schema.prisma tests' shared ground: one migrated database per test file with a Prisma client
// (as the services open it), and the two instants their rows use.
import { afterAll, beforeAll } from 'vitest';
import { createPrismaClient, type PrismaClient } from '../../prisma/index.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

export const t = new Date('2025-03-16T22:00:00.000Z');
export const later = new Date('2025-03-16T23:40:00.000Z');

/** Registers this file's beforeAll/afterAll; `ready` gets the client before the first test runs. */
export function usePrismaDatabase(ready: (prisma: PrismaClient) => void): void {
  let db: TestDatabase | undefined;
  let prisma: PrismaClient | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient(db.url);
    ready(prisma);
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await db?.drop();
  });
}

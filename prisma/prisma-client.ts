// The Prisma client over the pg driver adapter (Prisma 7: no native query engine).
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client/client.ts';

export type { PrismaClient };
export * as PrismaModels from './generated/client/models.ts';

export function createPrismaClient(connectionString: string, options: { max?: number } = {}): PrismaClient {
  const adapter = new PrismaPg({ connectionString, max: options.max ?? 5 });
  return new PrismaClient({ adapter });
}

// @barstream/prisma: the schema's migrations and the generated Prisma client.
export { applyMigrations, type MigrationResult } from './migrate.ts';
export { createPrismaClient, type PrismaClient } from './prisma-client.ts';

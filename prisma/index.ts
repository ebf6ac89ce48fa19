// @barstream/prisma: the schema's migrations and the generated Prisma client.
// (`@barstream/prisma/migrate` is the migrations alone: services import it without loading Prisma.)
export { applyMigrations, type MigrationResult } from './migrate.ts';
export { createPrismaClient, type PrismaClient } from './prisma-client.ts';

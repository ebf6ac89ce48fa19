// Prisma CLI configuration. Only `prisma generate` is used: migrations are plain SQL applied by
// postgrator (see prisma/migrate.ts), because `prisma migrate` needs a native engine download.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});

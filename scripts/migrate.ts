// `npm run migrate`: applies prisma/migrations to DATABASE_URL (or the embedded database, if running).
import { acceptNoArguments, CONFIG_USAGE } from '@barstream/core/command-line';

acceptNoArguments(`Usage: npm run migrate

Applies prisma/migrations to the database in DATABASE_URL (database.url), or to the embedded
PostgreSQL on database.embedded_port (EMBEDDED_PG_PORT) when it is running (\`npm run db\`).
Already applied migrations are skipped. Exit code 1 when the database refuses.
${CONFIG_USAGE}`);

// Loaded only past the arguments: `--help` answers without them (bench/cli-start.ts).
const [{ databaseUrl, loadConfigOrExit }, { applyMigrations }] = await Promise.all([
  import('@barstream/core/node'),
  import('@barstream/prisma'),
]);
const { settings } = loadConfigOrExit();
const url = databaseUrl(settings);
try {
  const result = await applyMigrations(url);
  console.log(
    `migrations at version ${result.version}; applied: ${result.applied.join(', ') || 'none'}; ` +
      `TimescaleDB: ${result.timescaledb ? 'yes (hypertables)' : 'no (plain tables)'}`,
  );
} catch (err) {
  console.error(`migrate failed against ${url.replace(/:[^:@/]*@/, ':***@')}: ${(err as Error).message}`);
  process.exit(1);
}

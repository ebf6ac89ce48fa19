// `npm run migrate`: applies prisma/migrations to DATABASE_URL (or the embedded database, if running).
import { databaseUrl, loadConfigOrExit } from '@barstream/core/node';
import { applyMigrations } from '@barstream/prisma';

const { settings } = loadConfigOrExit();
const url = databaseUrl(settings);
try {
  const result = await applyMigrations(url);
  console.log(`migrations at version ${result.version}; applied: ${result.applied.join(', ') || 'none'}; ` +
    `TimescaleDB: ${result.timescaledb ? 'yes (hypertables)' : 'no (plain tables)'}`);
} catch (err) {
  console.error(`migrate failed against ${url.replace(/:[^:@/]*@/, ':***@')}: ${(err as Error).message}`);
  process.exit(1);
}

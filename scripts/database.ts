// `npm run db`: only the embedded PostgreSQL (for running services one by one); Ctrl-C stops it.
import { resolve } from 'node:path';
import { loadConfigOrExit } from '@barstream/core/node';
import { applyMigrations } from '@barstream/prisma';
import { startEmbeddedDatabase } from './lib/embedded-database.ts';

const { settings, rootDir } = loadConfigOrExit();
if (settings.database.url) {
  console.error('DATABASE_URL is set: nothing to start (the services will use that server)');
  process.exit(1);
}
const db = await startEmbeddedDatabase({ dataDir: resolve(rootDir, settings.database.embedded_data_dir), port: settings.database.embedded_port });
await applyMigrations(db.url);
console.log(`embedded PostgreSQL ready: ${db.url}`);
const stop = (): void => { void db.stop().then(() => process.exit(0)); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

// `npm run db`: only the embedded PostgreSQL (for running services one by one); Ctrl-C stops it.
import { resolve } from 'node:path';
import { acceptNoArguments, CONFIG_USAGE } from '@barstream/core/command-line';

acceptNoArguments(`Usage: npm run db

Starts only the embedded PostgreSQL (data in database.embedded_data_dir, BARSTREAM_DATA_DIR; port
database.embedded_port, EMBEDDED_PG_PORT) and applies the migrations, for running the services
one by one. Ctrl-C stops it. Refuses when DATABASE_URL is set or the data dir is in use.
${CONFIG_USAGE}`);

// Loaded only past the arguments: `--help` answers without them (bench/cli-start.ts).
const [{ loadConfigOrExit }, { applyMigrations }, { DataDirLockedError }, { startEmbeddedDatabase }] = await Promise.all([
  import('@barstream/core/node'),
  import('@barstream/prisma'),
  import('./lib/data-dir-lock.ts'),
  import('./lib/embedded-database.ts'),
]);
const { settings, rootDir } = loadConfigOrExit();
if (settings.database.url) {
  console.error('DATABASE_URL is set: nothing to start (the services will use that server)');
  process.exit(1);
}
const db = await startEmbeddedDatabase({
  dataDir: resolve(rootDir, settings.database.embedded_data_dir),
  port: settings.database.embedded_port,
  restartOnExit: (event) => console.log(event),
}).catch((err: unknown) => {
  if (!(err instanceof DataDirLockedError)) throw err;
  console.error(err.message);
  process.exit(1);
});
await applyMigrations(db.url);
console.log(`embedded PostgreSQL ready: ${db.url}`);
const stop = (): void => {
  void db.stop().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

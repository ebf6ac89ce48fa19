// `npm run keys -- …` (scripts/lib/keys/keys-command.ts) on the database the other commands use:
// DATABASE_URL, or the embedded PostgreSQL, started for the command when `npm start` is not running it.
// The config and the database's modules load only when the command opens it: --help answers without them.
import type { HistoryDatabase } from './lib/history/history-database.ts';
import { runKeysCommand } from './lib/keys/keys-command.ts';

let database: HistoryDatabase | undefined;
try {
  process.exitCode = await runKeysCommand(
    process.argv.slice(2),
    async () => {
      const [{ loadConfigOrExit, pgSqlRunner }, { openHistoryDatabase }] = await Promise.all([
        import('@barstream/core/node'),
        import('./lib/history/history-database.ts'),
      ]);
      const { settings, rootDir } = loadConfigOrExit();
      database = await openHistoryDatabase(settings, rootDir, { poolSize: 1 });
      return pgSqlRunner(database.pool);
    },
    { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) },
  );
} catch (err) {
  console.error(`keys: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await database?.close();
}

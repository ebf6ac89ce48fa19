// `npm run keys -- …` (scripts/lib/keys/keys-command.ts) on the database the other commands use:
// DATABASE_URL, or the embedded PostgreSQL, started for the command when `npm start` is not running it.
import { loadConfigOrExit, pgSqlRunner } from '@barstream/core/node';
import { type HistoryDatabase, openHistoryDatabase } from './lib/history/history-database.ts';
import { runKeysCommand } from './lib/keys/keys-command.ts';

let database: HistoryDatabase | undefined;
try {
  process.exitCode = await runKeysCommand(
    process.argv.slice(2),
    async () => {
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

// `npm run analyzer -- <command>`: the analyzer's one-shot commands (analyzer/src/cli.ts) on the database
// the history commands use — DATABASE_URL, or the embedded PostgreSQL, started for the command when
// `npm start` is not running it — opened only if the command needs one, migrated, closed at the end.
// The config and the database's modules load only when a command opens it: --help answers without them.
import { runAnalyzerCli } from '../analyzer/src/cli.ts';
import type { HistoryDatabase } from './lib/history/history-database.ts';

let database: HistoryDatabase | undefined;
try {
  process.exitCode = await runAnalyzerCli(process.argv.slice(2), async () => {
    const [{ loadConfig }, { openHistoryDatabase }] = await Promise.all([
      import('@barstream/core/node'),
      import('./lib/history/history-database.ts'),
    ]);
    const { settings, rootDir } = loadConfig();
    database = await openHistoryDatabase(settings, rootDir, { poolSize: 2 });
    return database.pool;
  });
} catch (err) {
  console.error(`analyzer: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await database?.close();
}

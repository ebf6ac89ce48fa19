// `npm run backtest -- …` (trader/src/backtest-cli.ts) on the database the history commands use —
// DATABASE_URL, or the embedded PostgreSQL, started for the command when `npm start` is not running it —
// migrated, closed at the end. A bad strategy file or a contract without bars: a clear error, exit 1.
// The config and the database's modules load only when the command opens it: --help answers without them.
import { runBacktestCli } from '../trader/src/backtest-cli.ts';
import type { HistoryDatabase } from './lib/history/history-database.ts';

let database: HistoryDatabase | undefined;
try {
  process.exitCode = await runBacktestCli(
    process.argv.slice(2),
    async () => {
      const [{ loadConfig }, { openHistoryDatabase }] = await Promise.all([
        import('@barstream/core/node'),
        import('./lib/history/history-database.ts'),
      ]);
      const { settings, rootDir } = loadConfig();
      database = await openHistoryDatabase(settings, rootDir, { poolSize: 4 });
      return { pool: database.pool, url: database.url, settings };
    },
    { out: (l) => console.log(l), err: (l) => console.error(l), tty: process.stderr.isTTY === true },
  );
} catch (err) {
  console.error(`backtest: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await database?.close();
}

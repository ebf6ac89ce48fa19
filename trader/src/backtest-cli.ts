// `npm run backtest -- --strategy FILE --contract ID --timeframe TF [--from --to] [--json] [--sweep …]`
// (entry: scripts/backtest.ts, which opens the database): stores the run, prints a progress bar and a
// summary table, or with --json one JSON object (the report's fields and run_id); --sweep runs the grid
// on worker threads and prints the ranked table. The run (backtest-command.ts) loads only once the
// flags are read: --help and a bad flag answer without it.
import type { Settings } from '@barstream/core';
import type { Pool } from '@barstream/core/node';
import { BACKTEST_USAGE, type BacktestFlags, parseBacktestFlags } from './backtest-flags.ts';

export { BACKTEST_USAGE } from './backtest-flags.ts';

export interface BacktestCliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Draw the progress bar (a terminal). */
  readonly tty: boolean;
}

export interface BacktestDatabase {
  readonly pool: Pool;
  readonly url: string;
  readonly settings: Settings;
}

export async function runBacktestCli(argv: readonly string[], open: () => Promise<BacktestDatabase>, io: BacktestCliIo): Promise<number> {
  let flags: BacktestFlags;
  try {
    flags = parseBacktestFlags(argv);
  } catch (err) {
    io.err(`backtest: ${(err as Error).message}\n${BACKTEST_USAGE}`);
    return 2;
  }
  if (flags.values.help) {
    io.out(BACKTEST_USAGE);
    return 0;
  }
  if (!flags.values.strategy) {
    io.err(`backtest: missing --strategy\n${BACKTEST_USAGE}`);
    return 2;
  }
  const { runBacktest } = await import('./backtest-command.ts');
  return runBacktest({ ...flags.values, strategy: flags.values.strategy }, flags.positionals, open, io);
}

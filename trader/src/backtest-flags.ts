// The flags of `npm run backtest`, said once: the usage text and parseArgs' options. Imports nothing
// heavy (node:util only): backtest-cli.ts answers --help and a bad flag from here before it loads the run.
import { parseArgs } from 'node:util';
import { CONFIG_USAGE } from '@barstream/core/command-line';

export const BACKTEST_USAGE = `usage: npm run backtest -- --strategy config/strategies/NAME.yaml [--contract ID] [--timeframe TF]
                            [--from ISO] [--to ISO] [--json] [--sweep name=from..to:step …]

Backtests a strategy file over the stored closed bars and stores the run (strategy_runs, orders, fills,
positions, trades, equity_points). --contract/--timeframe default to the file's; --from/--to to the
file's range (backtest files), else to the first and last stored bar. Signals are the analyzer's stored
ones, or computed from the bars with the strategy's own code (signals.strategy) when not stored.
  --json    print one JSON object: the report (money as exact decimal text) and run_id
  --sweep   run every combination of the strategy parameters (e.g. fast=10..30:5 slow=40..80:10) on
            all cores; stores a backtest_sweeps row and one run per combination; prints a ranked table
Works whether or not npm start is running (DATABASE_URL, or the embedded PostgreSQL, started if needed).
${CONFIG_USAGE}`;

/** The command line as parseArgs reads it; throws parseArgs' error (naming the flag) on a bad one. */
export function parseBacktestFlags(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: {
      strategy: { type: 'string' },
      contract: { type: 'string' },
      timeframe: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      json: { type: 'boolean' },
      sweep: { type: 'string', multiple: true },
      help: { type: 'boolean' },
    },
    allowPositionals: true,
  });
}

export type BacktestFlags = ReturnType<typeof parseBacktestFlags>;

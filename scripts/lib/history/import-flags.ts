// Flags of `npm run import`: the usage text and parseArgs' options, said once. No zod and no domain code
// here: scripts/import-bars.ts answers --help and a bad flag from this alone, before
// it loads the command; import-args.ts checks the values.
import { type FlagOptions, readFlags } from './cli-flags.ts';

export const IMPORT_USAGE = `Imports bar CSV files into ohlc_bars (each file all or nothing).

usage: npm run import -- <file.csv> [more files] [options]

Layouts, told apart by the first line:
  barstream  header [id,]contract_id,timestamp,open,high,low,close,volume,timeframe_unit,timeframe_value
             (what npm run export writes)
  binance    kline dumps without header: openTime,open,high,low,close,volume,closeTime,… with openTime in
             ms or µs; symbol and interval from a name like BTCUSDT-1m-2024-01.csv

  --contract <id>        store under this contract id (binance: instead of the file name's symbol)
  --timeframe <tf>       binance files: the interval (e.g. 1m), instead of the file name's
  --skip-bad-rows        write the good rows of a file with bad ones (default: such a file writes nothing)
  --help                 this text

Bad rows are listed with their line number and reason. The database is DATABASE_URL, else the embedded PostgreSQL.`;

const IMPORT_FLAGS = {
  contract: { type: 'string' },
  timeframe: { type: 'string' },
  'skip-bad-rows': { type: 'boolean' },
  help: { type: 'boolean' },
} satisfies FlagOptions;

/** The flags as parseArgs reads them; throws a UsageError naming a flag it refuses. */
export function readImportFlags(argv: readonly string[]): { values: Record<string, unknown>; positionals: string[] } {
  return readFlags(argv, IMPORT_FLAGS, true);
}

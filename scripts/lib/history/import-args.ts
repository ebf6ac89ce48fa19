// Flags of `npm run import`.
import type { Timeframe } from '@barstream/core';
import { z } from 'zod';
import { readFlags, timeframeFlag, UsageError, validateFlags } from './cli-args.ts';

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

export interface ImportArgs {
  readonly help: boolean;
  readonly files: readonly string[];
  readonly contract: string | undefined;
  readonly timeframe: Timeframe | undefined;
  readonly skipBadRows: boolean;
}

const schema = z.object({
  contract: z.string().trim().min(1, 'is empty').max(100, 'is longer than 100 characters').optional(),
  timeframe: timeframeFlag.optional(),
  skipBadRows: z.boolean().default(false),
});

export function parseImportArgs(argv: readonly string[]): ImportArgs {
  const { values, positionals } = readFlags(
    argv,
    {
      contract: { type: 'string' },
      timeframe: { type: 'string' },
      'skip-bad-rows': { type: 'boolean' },
      help: { type: 'boolean' },
    },
    true,
  );
  if (values.help) return { help: true, files: [], contract: undefined, timeframe: undefined, skipBadRows: false };
  if (positionals.length === 0) throw new UsageError('files: give at least one CSV file to import');
  const parsed = validateFlags(schema, { contract: values.contract, timeframe: values.timeframe, skipBadRows: values['skip-bad-rows'] });
  return { help: false, files: positionals, contract: parsed.contract, timeframe: parsed.timeframe, skipBadRows: parsed.skipBadRows };
}

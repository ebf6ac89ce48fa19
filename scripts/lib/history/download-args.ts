// Flag values of `npm run download`, checked (the flags themselves and the usage: download-flags.ts).
import type { Timeframe } from '@barstream/core';
import { z } from 'zod';
import { commaList, isoDate, timeframeFlag, validateFlags } from './cli-args.ts';
import { UsageError } from './cli-flags.ts';
import { readDownloadFlags } from './download-flags.ts';

export interface DownloadArgs {
  readonly help: boolean;
  readonly provider: 'projectx' | 'binance' | 'coinbase' | 'alpaca' | undefined;
  readonly contracts: readonly string[];
  readonly startDate: number;
  readonly endDate: number | undefined;
  readonly timeframes: readonly Timeframe[] | undefined;
  readonly force: boolean;
  readonly dryRun: boolean;
}

const schema = z
  .object({
    provider: z
      .enum(['projectx', 'binance', 'coinbase', 'alpaca'], { message: "expected 'projectx', 'binance', 'coinbase' or 'alpaca'" })
      .optional(),
    contracts: commaList,
    startDate: isoDate,
    endDate: isoDate.optional(),
    timeframes: commaList.pipe(z.array(timeframeFlag)).optional(),
    force: z.boolean().default(false),
    dryRun: z.boolean().default(false),
  })
  .refine((a) => a.endDate === undefined || a.endDate >= a.startDate, { path: ['endDate'], message: 'is before --start-date' });

/** Throws a UsageError naming the bad flag; `{help: true}` when --help is given (nothing else is checked then). */
export function parseDownloadArgs(argv: readonly string[]): DownloadArgs {
  const { values } = readDownloadFlags(argv);
  if (values.help) {
    return {
      help: true,
      provider: undefined,
      contracts: [],
      startDate: 0,
      endDate: undefined,
      timeframes: undefined,
      force: false,
      dryRun: false,
    };
  }
  if (values.contracts === undefined) throw new UsageError('--contracts: required (e.g. --contracts CON.F.US.MES.M25 or BTCUSDT)');
  if (values['start-date'] === undefined) throw new UsageError('--start-date: required (e.g. --start-date 2025-01-02)');
  const parsed = validateFlags(schema, {
    provider: values.provider,
    contracts: values.contracts,
    startDate: values['start-date'],
    endDate: values['end-date'],
    timeframes: values.timeframes,
    force: values.force,
    dryRun: values['dry-run'],
  });
  return { help: false, ...parsed, endDate: parsed.endDate, timeframes: parsed.timeframes, provider: parsed.provider };
}

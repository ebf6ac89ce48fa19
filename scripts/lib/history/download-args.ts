// Flags of `npm run download`.
import type { Timeframe } from '@barstream/core';
import { z } from 'zod';
import { commaList, isoDate, readFlags, timeframeFlag, UsageError, validateFlags } from './cli-args.ts';

export const DOWNLOAD_USAGE = `Downloads historical bars from a provider into ohlc_bars (resumable: stored days are skipped).

usage: npm run download -- --contracts <ids or symbols> --start-date <YYYY-MM-DD> [options]

  --provider projectx|binance|coinbase|alpaca
                                where the bars come from (default: ingester.provider when it is one of these)
  --contracts <list>            comma-separated: ProjectX ids (CON.F.US.MES.M25) or symbols (MES),
                                Binance symbols (BTCUSDT), Coinbase products (BTC-USD),
                                US stock symbols for Alpaca (SPY)
  --start-date <YYYY-MM-DD>     first trade date to fetch
  --end-date <YYYY-MM-DD>       last trade date to fetch, inclusive (default: up to now)
  --timeframes <list>           e.g. 1m,5m,1h,4h,1d (default: ingester.timeframes)
  --force                       fetch and rewrite days already stored too
  --dry-run                     show what would be fetched; fetch and write nothing
  --help                        this text

Credentials and URLs come from config/settings.yaml and the environment (PROJECTX_USERNAME, PROJECTX_API_KEY,
PROJECTX_API_URL, BINANCE_REST_URL, COINBASE_REST_URL, ALPACA_KEY_ID, ALPACA_SECRET_KEY, ALPACA_FEED, ALPACA_DATA_URL); the database from DATABASE_URL, else the embedded PostgreSQL.
Ctrl-C stops after the range being written; run the same command again to resume.`;

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
  const { values } = readFlags(argv, {
    provider: { type: 'string' },
    contracts: { type: 'string' },
    'start-date': { type: 'string' },
    'end-date': { type: 'string' },
    timeframes: { type: 'string' },
    force: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    help: { type: 'boolean' },
  });
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

// Flags of `npm run download`: the usage text and parseArgs' options, said once. No zod and no domain code
// here: scripts/download-historical.ts answers --help and a bad flag from this alone, before
// it loads the command; download-args.ts checks the values.
import { type FlagOptions, readFlags } from './cli-flags.ts';

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

const DOWNLOAD_FLAGS = {
  provider: { type: 'string' },
  contracts: { type: 'string' },
  'start-date': { type: 'string' },
  'end-date': { type: 'string' },
  timeframes: { type: 'string' },
  force: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  help: { type: 'boolean' },
} satisfies FlagOptions;

/** The flags as parseArgs reads them; throws a UsageError naming a flag it refuses. */
export function readDownloadFlags(argv: readonly string[]): { values: Record<string, unknown>; positionals: string[] } {
  return readFlags(argv, DOWNLOAD_FLAGS);
}

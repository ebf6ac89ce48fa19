// Flags of `npm run export`: the usage text and parseArgs' options, said once. No zod and no domain code
// here: scripts/export-bars.ts answers --help and a bad flag from this alone, before
// it loads the command; export-args.ts checks the values.
import { type FlagOptions, readFlags } from './cli-flags.ts';

export const EXPORT_USAGE = `Exports closed bars of one contract and timeframe as CSV (the layout npm run import reads),
or with --signals the signals detected on a contract (detected_signals).

usage: npm run export -- --contract <id> --timeframe <tf> [--from <when>] [--to <when>] [--out <file>]
       npm run export -- --signals --contract <id> [--timeframe <tf>] [--analyzer <id>] [--from <when>] [--to <when>] [--out <file>]

  --contract <id>      e.g. CON.F.US.MES.M25 or BTCUSDT; a contract nothing is stored under exits 1
  --timeframe <tf>     e.g. 5m (required for bars; for signals, all timeframes when absent)
  --signals            export signals instead of bars: signal_id,analyzer_id,contract_id,timeframe,timestamp,
                       trigger_timestamp,signal_type,signal_price,signal_open,signal_high,signal_low,signal_close,
                       signal_volume,details (the details JSON in one quoted field)
  --analyzer <id>      signals of this analyzer only (e.g. trend_start_finder); all analyzers when absent
  --from <when>        first bar label (signals: signal time) to include: 2025-03-17 (00:00 UTC) or 2025-03-17T14:30:00Z
  --to <when>          labels before this are included (exclusive)
  --out <file>         write here instead of stdout
  --help               this text`;

const EXPORT_FLAGS = {
  contract: { type: 'string' },
  timeframe: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  out: { type: 'string' },
  signals: { type: 'boolean' },
  analyzer: { type: 'string' },
  help: { type: 'boolean' },
} satisfies FlagOptions;

/** The flags as parseArgs reads them; throws a UsageError naming a flag it refuses. */
export function readExportFlags(argv: readonly string[]): { values: Record<string, unknown>; positionals: string[] } {
  return readFlags(argv, EXPORT_FLAGS);
}

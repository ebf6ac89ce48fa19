// Flags of `npm run export`.
import type { Timeframe } from '@barstream/core';
import { z } from 'zod';
import { isoInstant, readFlags, timeframeFlag, UsageError, validateFlags } from './cli-args.ts';

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

export type ExportWhat = 'bars' | 'signals';

export interface ExportArgs {
  readonly help: boolean;
  readonly what: ExportWhat;
  readonly contract: string;
  /** Required for bars; for signals, all timeframes when undefined. */
  readonly timeframe: Timeframe | undefined;
  readonly analyzer: string | undefined;
  readonly from: number | undefined;
  readonly to: number | undefined;
  readonly out: string | undefined;
}

const schema = z
  .object({
    contract: z.string().trim().min(1, 'is empty'),
    timeframe: timeframeFlag.optional(),
    analyzer: z.string().trim().min(1, 'is empty').optional(),
    from: isoInstant.optional(),
    to: isoInstant.optional(),
    out: z.string().min(1, 'is empty').optional(),
  })
  .refine((a) => a.from === undefined || a.to === undefined || a.to > a.from, { path: ['to'], message: 'is not after --from' });

export function parseExportArgs(argv: readonly string[]): ExportArgs {
  const { values } = readFlags(argv, {
    contract: { type: 'string' },
    timeframe: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    out: { type: 'string' },
    signals: { type: 'boolean' },
    analyzer: { type: 'string' },
    help: { type: 'boolean' },
  });
  const what: ExportWhat = values.signals === true ? 'signals' : 'bars';
  if (values.help)
    return { help: true, what, contract: '', timeframe: undefined, analyzer: undefined, from: undefined, to: undefined, out: undefined };
  if (values.contract === undefined) throw new UsageError('--contract: required');
  if (what === 'bars' && values.timeframe === undefined) throw new UsageError('--timeframe: required (e.g. --timeframe 5m)');
  if (what === 'bars' && values.analyzer !== undefined) throw new UsageError('--analyzer: applies to --signals only');
  const parsed = validateFlags(schema, values);
  return {
    help: false,
    what,
    contract: parsed.contract,
    timeframe: parsed.timeframe,
    analyzer: parsed.analyzer,
    from: parsed.from,
    to: parsed.to,
    out: parsed.out,
  };
}

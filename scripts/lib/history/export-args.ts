// Flags of `npm run export`.
import type { Timeframe } from '@barstream/core';
import { z } from 'zod';
import { isoInstant, readFlags, timeframeFlag, UsageError, validateFlags } from './cli-args.ts';

export const EXPORT_USAGE = `Exports closed bars of one contract and timeframe as CSV (the layout npm run import reads).

usage: npm run export -- --contract <id> --timeframe <tf> [--from <when>] [--to <when>] [--out <file>]

  --contract <id>      e.g. CON.F.US.MES.M25 or BTCUSDT
  --timeframe <tf>     e.g. 5m
  --from <when>        first bar label to include: 2025-03-17 (00:00 UTC) or 2025-03-17T14:30:00Z
  --to <when>          labels before this are included (exclusive)
  --out <file>         write here instead of stdout
  --help               this text`;

export interface ExportArgs {
  readonly help: boolean;
  readonly contract: string;
  readonly timeframe: Timeframe;
  readonly from: number | undefined;
  readonly to: number | undefined;
  readonly out: string | undefined;
}

const schema = z.object({
  contract: z.string().trim().min(1, 'is empty'),
  timeframe: timeframeFlag,
  from: isoInstant.optional(),
  to: isoInstant.optional(),
  out: z.string().min(1, 'is empty').optional(),
}).refine((a) => a.from === undefined || a.to === undefined || a.to > a.from, { path: ['to'], message: 'is not after --from' });

export function parseExportArgs(argv: readonly string[]): ExportArgs {
  const { values } = readFlags(argv, {
    contract: { type: 'string' }, timeframe: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' },
    out: { type: 'string' }, help: { type: 'boolean' },
  });
  if (values.help) return { help: true, contract: '', timeframe: { unit: 2, value: 1 }, from: undefined, to: undefined, out: undefined };
  if (values.contract === undefined) throw new UsageError('--contract: required');
  if (values.timeframe === undefined) throw new UsageError('--timeframe: required (e.g. --timeframe 5m)');
  const parsed = validateFlags(schema, values);
  return { help: false, ...parsed, from: parsed.from, to: parsed.to, out: parsed.out };
}

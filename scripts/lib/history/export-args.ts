// Flag values of `npm run export`, checked (the flags themselves and the usage: export-flags.ts).
import type { Timeframe } from '@barstream/core';
import { z } from 'zod';
import { isoInstant, timeframeFlag, validateFlags } from './cli-args.ts';
import { UsageError } from './cli-flags.ts';
import { readExportFlags } from './export-flags.ts';

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
  const { values } = readExportFlags(argv);
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

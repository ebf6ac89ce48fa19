// Flag values of `npm run import`, checked (the flags themselves and the usage: import-flags.ts).
import type { Timeframe } from '@barstream/core';
import { z } from 'zod';
import { timeframeFlag, validateFlags } from './cli-args.ts';
import { UsageError } from './cli-flags.ts';
import { readImportFlags } from './import-flags.ts';

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
  const { values, positionals } = readImportFlags(argv);
  if (values.help) return { help: true, files: [], contract: undefined, timeframe: undefined, skipBadRows: false };
  if (positionals.length === 0) throw new UsageError('files: give at least one CSV file to import');
  const parsed = validateFlags(schema, { contract: values.contract, timeframe: values.timeframe, skipBadRows: values['skip-bad-rows'] });
  return { help: false, files: positionals, contract: parsed.contract, timeframe: parsed.timeframe, skipBadRows: parsed.skipBadRows };
}

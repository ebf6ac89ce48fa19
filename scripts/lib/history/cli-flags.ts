// The syntax of the history commands' command lines: node:util parseArgs in strict mode and the one
// error type whose message names the offending flag. Light on purpose (no zod, no domain code): the
// entries read their flags and answer --help with it before loading the command (bench/cli-start.ts);
// the values are checked by cli-args.ts.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BarstreamError } from '@barstream/core/errors';

/** Bad command line: the message names the flag; the CLI prints it with the usage and exits 2. */
export class UsageError extends BarstreamError {
  constructor(message: string) {
    super('usage', message);
  }
}

export type FlagOptions = NonNullable<ParseArgsConfig['options']>;

/** parseArgs in strict mode, its errors turned into UsageErrors. */
export function readFlags(
  argv: readonly string[],
  options: FlagOptions,
  allowPositionals = false,
): { values: Record<string, unknown>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, strict: true, allowPositionals });
    return { values, positionals };
  } catch (err) {
    throw new UsageError(err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err));
  }
}

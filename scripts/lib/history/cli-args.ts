// Command-line flags for the history commands: node:util parseArgs for the syntax, zod for the values,
// and one error type whose message names the offending flag.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BarstreamError, parseTimeframe, type Timeframe } from '@barstream/core';
import { z } from 'zod';

/** Bad command line: the message names the flag; the CLI prints it with the usage and exits 2. */
export class UsageError extends BarstreamError {
  constructor(message: string) {
    super('usage', message);
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs in strict mode, its errors turned into UsageErrors. */
export function readFlags(
  argv: readonly string[],
  options: Options,
  allowPositionals = false,
): { values: Record<string, unknown>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, strict: true, allowPositionals });
    return { values, positionals };
  } catch (err) {
    throw new UsageError(err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err));
  }
}

/** Validates flag values; the first problem becomes a UsageError naming the flag (--start-date, not startDate). */
export function validateFlags<S extends z.ZodType>(schema: S, values: unknown): z.infer<S> {
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const key = issue?.path[0];
  const flag = typeof key === 'string' ? `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : 'arguments';
  throw new UsageError(`${flag}: ${issue?.message ?? 'invalid'}`);
}

/** A comma-separated list: 'a, b,,c' → ['a', 'b', 'c']. */
export const commaList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x !== ''),
  )
  .pipe(z.array(z.string()).min(1, 'give at least one value'));

/** 'YYYY-MM-DD' → 00:00 UTC of that date (epoch ms). */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date like 2025-03-17')
  .transform((s, ctx) => {
    const ms = Date.parse(`${s}T00:00:00Z`);
    if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== s) {
      ctx.addIssue({ code: 'custom', message: `'${s}' is not a calendar date` });
      return z.NEVER;
    }
    return ms;
  });

/** A date ('2025-03-17', 00:00 UTC) or an ISO date-time with offset ('2025-03-17T14:30:00Z'). */
export const isoInstant = z.string().transform((s, ctx) => {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(s)
    ? Date.parse(`${s}T00:00:00Z`)
    : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s)
      ? Date.parse(s)
      : Number.NaN;
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', message: `'${s}' is not a date (2025-03-17) or date-time with offset (2025-03-17T14:30:00Z)` });
    return z.NEVER;
  }
  return ms;
});

/** One timeframe like '5m'. */
export const timeframeFlag = z.string().transform((s, ctx): Timeframe => {
  try {
    return parseTimeframe(s);
  } catch {
    ctx.addIssue({ code: 'custom', message: `'${s}' is not a timeframe like 1m, 5m, 1h, 4h, 1d` });
    return z.NEVER;
  }
});

// Command-line flag values for the history commands: zod for the values (the syntax: cli-flags.ts), the
// first problem a UsageError naming the flag.
import { parseTimeframe, type Timeframe } from '@barstream/core';
import { z } from 'zod';
import { UsageError } from './cli-flags.ts';

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

// Query-string field schemas shared by the /api/* routes: raw strings in, typed values out, each
// failure a message that names what the field must be.
import { parseTimeframe, timeframeOf, ValidationError, type Timeframe } from '@barstream/core';
import { z } from 'zod';

/** Upper bound on rows per request: keeps one response a few megabytes at most. */
export const MAX_LIMIT = 50_000;
/** /api/ohlc's bound: answers past MAX_LIMIT bars are streamed (web/lib/queries/ohlc-stream.ts). */
export const OHLC_MAX_LIMIT = 100_000;

const ID_PATTERN = /^[A-Za-z0-9._:-]+$/;
const ID_RULE = 'must contain only letters, digits and . _ : -';

const required = (what: string) => ({
  error: (issue: { input: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`),
});

export const contractIdSchema = z
  .string(required('a contract id'))
  .max(100, 'must be at most 100 characters')
  .regex(ID_PATTERN, ID_RULE)
  .describe('Contract id, as listed by /api/contracts (e.g. SIM.MES).');

export const analyzerIdSchema = z.string().max(100, 'must be at most 100 characters').regex(ID_PATTERN, ID_RULE);

const EPOCH_MS = /^\d{1,15}$/;
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i;
/** Instants PostgreSQL and every client can hold: years 1 to 9999. */
export const EARLIEST_INSTANT_MS = -62_135_596_800_000;
export const LATEST_INSTANT_MS = 253_402_300_799_999;

/** Epoch ms of `text` (epoch milliseconds or ISO-8601; no offset means UTC), or NaN. */
export function parseInstant(text: string): number {
  if (EPOCH_MS.test(text)) return Number(text);
  const m = ISO_TIME.exec(text);
  if (!m) return Number.NaN;
  const [, year, month, day, time, offset] = m;
  // Date.parse rolls 2025-02-30 over into March; a calendar date must exist as written.
  const date = new Date(0);
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day)); // Date.UTC maps years 0-99 to 19xx
  if (date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) return Number.NaN;
  if (time === undefined) return date.getTime();
  return Date.parse(`${year}-${month}-${day}T${time}${(offset ?? 'Z').toUpperCase()}`);
}

export const instantSchema = z
  .string()
  .describe('ISO-8601 time (no offset means UTC) or epoch milliseconds.')
  .transform((text, ctx) => {
    const ms = parseInstant(text);
    if (!Number.isFinite(ms)) {
      ctx.addIssue({ code: 'custom', message: `'${text}' is not an ISO-8601 time or epoch milliseconds` });
      return z.NEVER;
    }
    if (ms < EARLIEST_INSTANT_MS || ms > LATEST_INSTANT_MS) {
      ctx.addIssue({ code: 'custom', message: `'${text}' is outside the years 1 to 9999` });
      return z.NEVER;
    }
    return new Date(ms);
  });

export function limitSchema(fallback: number, max: number = MAX_LIMIT) {
  return z
    .string()
    .regex(/^\d+$/, `must be an integer from 1 to ${max}`)
    .describe(`Most rows returned (the newest in range), 1 to ${max}; default ${fallback}.`)
    .transform(Number)
    .pipe(z.number().int().min(1, `must be an integer from 1 to ${max}`).max(max, `must be at most ${max}`))
    .default(fallback);
}

const positiveIntText = z
  .string()
  .regex(/^\d{1,6}$/, 'must be a positive integer')
  .transform(Number);

/** `timeframe=5m`, or `timeframe_unit=2&timeframe_value=5` (ProjectX units); both forms must agree. */
export const timeframeFields = {
  timeframe: z.string().describe('Bar length like 1m, 5m, 1h, 4h, 1d (or give timeframe_unit and timeframe_value).').optional(),
  timeframe_unit: positiveIntText.describe('1 second, 2 minute, 3 hour, 4 day, 5 week, 6 month.').optional(),
  timeframe_value: positiveIntText.describe('How many units one bar spans.').optional(),
};

export const rangeFields = {
  from: instantSchema.describe('Earliest bar time (inclusive): ISO-8601 or epoch milliseconds.').optional(),
  to: instantSchema.describe('Latest bar time (inclusive): ISO-8601 or epoch milliseconds.').optional(),
};

export interface TimeRange {
  readonly from: Date | undefined;
  readonly to: Date | undefined;
}

export function resolveTimeframe(q: { timeframe?: string; timeframe_unit?: number; timeframe_value?: number }): Timeframe {
  const hasParts = q.timeframe_unit !== undefined || q.timeframe_value !== undefined;
  let fromParts: Timeframe | undefined;
  if (hasParts) {
    if (q.timeframe_unit === undefined) throw new ValidationError('timeframe_unit', 'is required with timeframe_value');
    if (q.timeframe_value === undefined) throw new ValidationError('timeframe_value', 'is required with timeframe_unit');
    fromParts = timeframeOf(q.timeframe_unit, q.timeframe_value);
  }
  if (q.timeframe === undefined) {
    if (fromParts) return fromParts;
    throw new ValidationError('timeframe', 'is required (like 5m), or timeframe_unit and timeframe_value');
  }
  const parsed = parseTimeframe(q.timeframe);
  if (fromParts && (fromParts.unit !== parsed.unit || fromParts.value !== parsed.value)) {
    throw new ValidationError('timeframe', 'disagrees with timeframe_unit and timeframe_value');
  }
  return parsed;
}

export function resolveRange(q: { from?: Date; to?: Date }): TimeRange {
  if (q.from && q.to && q.from.getTime() > q.to.getTime()) throw new ValidationError('from', 'must not be after to');
  return { from: q.from, to: q.to };
}

/**
 * Runs a cross-field check inside a zod transform: a ValidationError becomes an issue on its
 * field, so every bad parameter leaves the parser the same way.
 */
export function checked<T>(ctx: z.RefinementCtx, resolve: () => T): T {
  try {
    return resolve();
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    ctx.addIssue({ code: 'custom', path: [err.field], message: err.message.slice(err.field.length + 2) });
    return z.NEVER;
  }
}

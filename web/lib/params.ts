// Query-string schemas of the /api/* routes: raw strings in, typed values out, and a
// ValidationError naming the field (and why) for anything else.
import { parseTimeframe, timeframeOf, ValidationError, type Timeframe } from '@barstream/core';
import { z } from 'zod';

export const OHLC_DEFAULT_LIMIT = 2000;
export const TREND_STARTS_DEFAULT_LIMIT = 5000;
/** Upper bound on rows per request: keeps one response a few megabytes at most. */
export const MAX_LIMIT = 50_000;
export const DEFAULT_TREND_ANALYZER = 'cus_cds_trend_finder';

const required = (what: string) => ({
  error: (issue: { input: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`),
});

export const contractIdSchema = z.string(required('a contract id'))
  .max(100, 'must be at most 100 characters')
  .regex(/^[A-Za-z0-9._:-]+$/, 'must contain only letters, digits and . _ : -');

const analyzerIdSchema = z.string()
  .max(100, 'must be at most 100 characters')
  .regex(/^[A-Za-z0-9._:-]+$/, 'must contain only letters, digits and . _ : -');

const EPOCH_MS = /^\d{1,15}$/;
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** Epoch ms of `text` (epoch milliseconds or ISO-8601; no offset means UTC), or NaN. */
function parseInstant(text: string): number {
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

const MAX_DATE_MS = 8.64e15;

const instantSchema = z.string().transform((text, ctx) => {
  const ms = parseInstant(text);
  if (!Number.isFinite(ms) || ms > MAX_DATE_MS) {
    ctx.addIssue({ code: 'custom', message: `'${text}' is not an ISO-8601 time or epoch milliseconds` });
    return z.NEVER;
  }
  return new Date(ms);
});

function limitSchema(fallback: number) {
  return z.string()
    .regex(/^\d+$/, `must be an integer from 1 to ${MAX_LIMIT}`)
    .transform(Number)
    .pipe(z.number().int().min(1, `must be an integer from 1 to ${MAX_LIMIT}`).max(MAX_LIMIT, `must be at most ${MAX_LIMIT}`))
    .default(fallback);
}

const positiveIntText = z.string().regex(/^\d{1,6}$/, 'must be a positive integer').transform(Number);

const timeframeFields = {
  timeframe: z.string().optional(),
  timeframe_unit: positiveIntText.optional(),
  timeframe_value: positiveIntText.optional(),
};

const rangeFields = { from: instantSchema.optional(), to: instantSchema.optional() };

const ohlcQuerySchema = z.object({
  contract_id: contractIdSchema,
  ...timeframeFields,
  ...rangeFields,
  limit: limitSchema(OHLC_DEFAULT_LIMIT),
});

const trendStartsQuerySchema = z.object({
  contract_id: contractIdSchema,
  ...timeframeFields,
  ...rangeFields,
  analyzer_id: analyzerIdSchema.default(DEFAULT_TREND_ANALYZER),
  limit: limitSchema(TREND_STARTS_DEFAULT_LIMIT),
});

export interface RangeQuery {
  readonly contractId: string;
  readonly timeframe: Timeframe;
  readonly from: Date | undefined;
  readonly to: Date | undefined;
  readonly limit: number;
}

export interface TrendStartsQuery extends RangeQuery {
  readonly analyzerId: string;
}

export function parseOhlcQuery(params: URLSearchParams): RangeQuery {
  const q = parseQuery(ohlcQuerySchema, params);
  return { contractId: q.contract_id, timeframe: resolveTimeframe(q), ...resolveRange(q), limit: q.limit };
}

export function parseTrendStartsQuery(params: URLSearchParams): TrendStartsQuery {
  const q = parseQuery(trendStartsQuerySchema, params);
  return {
    contractId: q.contract_id, timeframe: resolveTimeframe(q), ...resolveRange(q), limit: q.limit,
    analyzerId: q.analyzer_id,
  };
}

/** Parses the first value of each parameter; an empty value counts as absent. */
export function parseQuery<S extends z.ZodType>(schema: S, params: URLSearchParams): z.output<S> {
  const raw: Record<string, string> = {};
  for (const [key, value] of params) {
    if (!(key in raw) && value !== '') raw[key] = value;
  }
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.map(String).join('.') || 'query';
  throw new ValidationError(field, issue?.message ?? 'is invalid');
}

/** `timeframe=5m`, or `timeframe_unit=2&timeframe_value=5`; both forms must then agree. */
function resolveTimeframe(q: { timeframe?: string; timeframe_unit?: number; timeframe_value?: number }): Timeframe {
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

function resolveRange(q: { from?: Date; to?: Date }): { from: Date | undefined; to: Date | undefined } {
  if (q.from && q.to && q.from.getTime() > q.to.getTime()) throw new ValidationError('from', 'must not be after to');
  return { from: q.from, to: q.to };
}

// The one registry of /api/* routes: each route's query schema (raw strings in, typed query out)
// and response schema. Route handlers parse with it; /api/openapi.json is generated from it.
import { getIndicatorDefinition, type Timeframe } from '@barstream/core';
import { z } from 'zod';
import { exactWarmupBars } from '../indicators/indicator-window.ts';
import {
  DEFAULT_INDICATORS,
  DEFAULT_TREND_ANALYZER,
  INDICATORS_DEFAULT_LIMIT,
  OHLC_DEFAULT_LIMIT,
  SIGNALS_DEFAULT_LIMIT,
} from './defaults.ts';
import {
  analyzerIdSchema,
  checked,
  contractIdSchema,
  limitSchema,
  MAX_LIMIT,
  OHLC_MAX_LIMIT,
  rangeFields,
  resolveRange,
  resolveTimeframe,
  timeframeFields,
} from './query-fields.ts';
import {
  contractsResponseSchema,
  healthResponseSchema,
  indicatorsResponseSchema,
  ohlcResponseSchema,
  signalsResponseSchema,
  trendStartsResponseSchema,
} from './response-schemas.ts';
import { alertRouteEntries } from './alert-routes.ts';
import type { ApiRoute } from './api-route.ts';
import { smcRouteEntries } from './smc-routes.ts';
import { trendLabelRoutes } from './trend-label-routes.ts';
import { tradingRoutes } from './trading-routes.ts';

export { DEFAULT_INDICATORS, DEFAULT_TREND_ANALYZER, OHLC_DEFAULT_LIMIT } from './defaults.ts';

/** Indicators per request: each costs a pass over every bar in range plus its warm-up. */
export const MAX_INDICATORS = 8;
/** Bars read before a range for exact values (ema_5000 needs ~92,000): bounds one request's reads. */
export const MAX_WARMUP_BARS = 100_000;

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
export interface SignalsQuery extends RangeQuery {
  /** undefined: every analyzer. */
  readonly analyzerId: string | undefined;
}
export interface IndicatorsQuery extends RangeQuery {
  readonly names: readonly string[];
}

const indicatorNamesSchema = z
  .string()
  .describe(
    `Comma-separated indicator names (sma_<n>, ema_<n>, rsi_<n>, atr_<n>, macd_<f>_<s>_<sig>, bb_<n>_<k>), at most ${MAX_INDICATORS}; default ${DEFAULT_INDICATORS.join(',')}.`,
  )
  .transform((text, ctx) => {
    const names = [
      ...new Set(
        text
          .split(',')
          .map((n) => n.trim())
          .filter(Boolean),
      ),
    ];
    if (names.length === 0 || names.length > MAX_INDICATORS) {
      ctx.addIssue({ code: 'custom', message: `must list 1 to ${MAX_INDICATORS} indicator names` });
      return z.NEVER;
    }
    for (const name of names) {
      try {
        if (exactWarmupBars(getIndicatorDefinition(name)) > MAX_WARMUP_BARS) {
          ctx.addIssue({ code: 'custom', message: `'${name}' needs more than ${MAX_WARMUP_BARS} warm-up bars; use a shorter period` });
          return z.NEVER;
        }
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : `'${name}' is not an indicator` });
        return z.NEVER;
      }
    }
    return names;
  })
  .default([...DEFAULT_INDICATORS]);

function rangeQuery(
  q: { contract_id: string; from?: Date; to?: Date; limit: number } & Parameters<typeof resolveTimeframe>[0],
  ctx: z.RefinementCtx,
): RangeQuery {
  return checked(ctx, () => ({ contractId: q.contract_id, timeframe: resolveTimeframe(q), ...resolveRange(q), limit: q.limit }));
}

const ohlcQuery = z
  .object({ contract_id: contractIdSchema, ...timeframeFields, ...rangeFields, limit: limitSchema(OHLC_DEFAULT_LIMIT, OHLC_MAX_LIMIT) })
  .transform((q, ctx): RangeQuery => rangeQuery(q, ctx));

const trendStartsQuery = z
  .object({
    contract_id: contractIdSchema,
    ...timeframeFields,
    ...rangeFields,
    analyzer_id: analyzerIdSchema.describe(`The trend analyzer; default ${DEFAULT_TREND_ANALYZER}.`).default(DEFAULT_TREND_ANALYZER),
    limit: limitSchema(SIGNALS_DEFAULT_LIMIT),
  })
  .transform((q, ctx): TrendStartsQuery => ({ ...rangeQuery(q, ctx), analyzerId: q.analyzer_id }));

const signalsQuery = z
  .object({
    contract_id: contractIdSchema,
    ...timeframeFields,
    ...rangeFields,
    analyzer_id: analyzerIdSchema.describe('Only this analyzer (e.g. ema_cross); absent: every analyzer.').optional(),
    limit: limitSchema(SIGNALS_DEFAULT_LIMIT),
  })
  .transform((q, ctx): SignalsQuery => ({ ...rangeQuery(q, ctx), analyzerId: q.analyzer_id }));

const indicatorsQuery = z
  .object({
    contract_id: contractIdSchema,
    ...timeframeFields,
    ...rangeFields,
    names: indicatorNamesSchema,
    limit: limitSchema(INDICATORS_DEFAULT_LIMIT),
  })
  .transform((q, ctx): IndicatorsQuery => ({ ...rangeQuery(q, ctx), names: q.names }));

const noQuery = z.object({});

export type { ApiRoute } from './api-route.ts';

function route<Q extends z.ZodType, R extends z.ZodType>(r: ApiRoute<Q, R>): ApiRoute<Q, R> {
  return r;
}

export const apiRoutes = {
  ohlc: route({
    path: '/api/ohlc',
    query: ohlcQuery,
    response: ohlcResponseSchema,
    notFound: 'Unknown contract, or a timeframe that is not configured (`error.available` lists the configured ones).',
    summary: 'Bars of one contract and timeframe',
    description:
      'The newest `limit` bars with from <= time <= to, oldest first (forming bar included). Page back with to = the oldest bar you have. ' +
      `Up to ${OHLC_MAX_LIMIT} bars; answers over ${MAX_LIMIT} are streamed (chunked), in the same shape.`,
  }),
  trendStarts: route({
    path: '/api/trend-starts',
    query: trendStartsQuery,
    response: trendStartsResponseSchema,
    notFound: 'Unknown contract, or a timeframe or analyzer that is not configured (`error.available` lists the configured ones).',
    summary: "A trend analyzer's trend starts",
    description: 'detected_signals rows of one analyzer (default cus_cds_trend_finder), oldest first; the newest `limit` in range.',
  }),
  signals: route({
    path: '/api/signals',
    query: signalsQuery,
    response: signalsResponseSchema,
    notFound: 'Unknown contract, or a timeframe or analyzer that is not configured (`error.available` lists the configured ones).',
    summary: 'Signals of every (or one) analyzer',
    description: 'detected_signals rows for one contract and timeframe, oldest first; the newest `limit` in range.',
  }),
  indicators: route({
    path: '/api/indicators',
    query: indicatorsQuery,
    response: indicatorsResponseSchema,
    notFound: 'Unknown contract, or a timeframe that is not configured (`error.available` lists the configured ones).',
    summary: 'Indicator series computed from stored bars',
    description:
      'Computed with the same code the analyzer uses, over the bars /api/ohlc returns for the same range, after a ' +
      'warm-up window read before `from` that is long enough for every value to equal the full-history computation ' +
      '(exponential smoothing: until the seed weighs less than one part in 2^53).',
  }),
  contracts: route({
    path: '/api/contracts',
    query: noQuery,
    response: contractsResponseSchema,
    summary: 'Contracts and configured timeframes',
    description: 'Every stored contract with its session calendar timezone, and the timeframes the ingester builds.',
  }),
  ...smcRouteEntries,
  health: route({
    path: '/api/health',
    query: noQuery,
    response: healthResponseSchema,
    unavailableAnswersBody: true,
    summary: 'Liveness',
    description:
      '200 with ok: true when the web process and PostgreSQL answer; 503 with ok: false (same shape) when the database does not.',
  }),
  ...trendLabelRoutes,
  ...tradingRoutes,
  ...alertRouteEntries,
} as const;

export type ApiRoutes = typeof apiRoutes;

// The read routes of trading (#14): strategies, runs, a run with its report, and the records a run
// wrote, page by page; spread into the registry in routes.ts. The writes are in write-routes.ts.
import { z } from 'zod';
import type { ApiRoute } from './api-route.ts';
import { limitSchema, MAX_LIMIT } from './query-fields.ts';
import { strategiesResponseSchema, strategyResponseSchema } from './strategy-schemas.ts';
import {
  equityPageSchema,
  fillsPageSchema,
  ordersPageSchema,
  positionsPageSchema,
  RUN_KINDS,
  RUN_STATUSES,
  runDetailResponseSchema,
  runsResponseSchema,
  tradesPageSchema,
} from './trading-schemas.ts';

export const RUNS_DEFAULT_LIMIT = 100;
export const RUN_PAGE_DEFAULT_LIMIT = 100;

export interface RunsQuery {
  readonly status: (typeof RUN_STATUSES)[number] | undefined;
  readonly kind: (typeof RUN_KINDS)[number] | undefined;
  readonly strategyId: string | undefined;
  readonly limit: number;
}
/** A page of one run's records; `runId` comes from the path. */
export interface RunPageQuery {
  readonly runId: bigint;
  readonly offset: number;
  readonly limit: number;
}

const runsQuery = z
  .object({
    status: z.enum(RUN_STATUSES, { error: `must be one of ${RUN_STATUSES.join(', ')}` }).optional(),
    kind: z.enum(RUN_KINDS, { error: `must be one of ${RUN_KINDS.join(', ')}` }).optional(),
    strategy_id: z.string().max(100, 'must be at most 100 characters').optional(),
    limit: limitSchema(RUNS_DEFAULT_LIMIT, 1000),
  })
  .transform((q): RunsQuery => ({ status: q.status, kind: q.kind, strategyId: q.strategy_id, limit: q.limit }));

export const runPageQuery = z.object({
  offset: z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number from 0')
    .transform(Number)
    .describe('Rows skipped (oldest first); default 0.')
    .default(0),
  limit: limitSchema(RUN_PAGE_DEFAULT_LIMIT, MAX_LIMIT).describe(`Rows returned, 1 to ${MAX_LIMIT}; default ${RUN_PAGE_DEFAULT_LIMIT}.`),
});

const noQuery = z.object({});

function route<Q extends z.ZodType, R extends z.ZodType>(r: ApiRoute<Q, R>): ApiRoute<Q, R> {
  return r;
}

const RUN_NOT_FOUND = 'No run with this id.';

export const tradingRoutes = {
  strategies: route({
    path: '/api/strategies',
    query: noQuery,
    response: strategiesResponseSchema,
    summary: 'Strategies',
    description:
      "Every stored strategy: its YAML, the headline fields of its config, and whether it comes from config/strategies (source 'file').",
  }),
  strategy: route({
    path: '/api/strategies/{strategy_id}',
    query: noQuery,
    response: strategyResponseSchema,
    notFound: 'No strategy with this id.',
    summary: 'One strategy',
    description: 'A stored strategy with its YAML as written.',
  }),
  runs: route({
    path: '/api/runs',
    query: runsQuery,
    response: runsResponseSchema,
    summary: 'Strategy runs',
    description: 'Runs newest first, each with its status, equity, net PnL and max drawdown (exact decimal text).',
  }),
  run: route({
    path: '/api/runs/{id}',
    query: noQuery,
    response: runDetailResponseSchema,
    notFound: RUN_NOT_FOUND,
    summary: 'One run with its report',
    description:
      'The run, its config as it ran, and its metrics report (net profit, return, CAGR, max drawdown value and duration, ' +
      'Sharpe and Sortino of per-session returns annualised by √252 for futures and √365 for crypto, win rate, profit factor, ' +
      'average win/loss, expectancy, trades, exposure, fees).',
  }),
  runTrades: route({
    path: '/api/runs/{id}/trades',
    query: runPageQuery,
    response: tradesPageSchema,
    notFound: RUN_NOT_FOUND,
    summary: "A run's round trips",
    description: 'Trades by number, paged with offset and limit; pnl is net of fees.',
  }),
  runOrders: route({
    path: '/api/runs/{id}/orders',
    query: runPageQuery,
    response: ordersPageSchema,
    notFound: RUN_NOT_FOUND,
    summary: "A run's orders",
    description: 'Each order in its latest state, oldest first, paged with offset and limit.',
  }),
  runFills: route({
    path: '/api/runs/{id}/fills',
    query: runPageQuery,
    response: fillsPageSchema,
    notFound: RUN_NOT_FOUND,
    summary: "A run's fills",
    description: "Fills oldest first with their order's role (the price chart's entry and exit markers), paged.",
  }),
  runPositions: route({
    path: '/api/runs/{id}/positions',
    query: runPageQuery,
    response: positionsPageSchema,
    notFound: RUN_NOT_FOUND,
    summary: "A run's positions",
    description: 'Net position per contract after the latest fill.',
  }),
  runEquity: route({
    path: '/api/runs/{id}/equity',
    query: runPageQuery,
    response: equityPageSchema,
    notFound: RUN_NOT_FOUND,
    summary: "A run's equity curve",
    description: 'One point per closed bar (cash, equity, PnL, fees, margin, position) with the drawdown below the running peak, paged.',
  }),
} as const;

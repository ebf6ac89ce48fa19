// Wire shapes of /api/runs* and /api/backtests: a run with its PnL and drawdown, its report, and the
// records it wrote (trades, orders, fills, positions, equity). Money is exact decimal text (numeric(30,8)).
import { z } from 'zod';

export const RUN_STATUSES = ['created', 'running', 'stopped', 'halted', 'completed', 'failed'] as const;
export const RUN_KINDS = ['backtest', 'paper'] as const;

const money = z.string().describe('Exact decimal amount of the quote currency, e.g. "-12.5".');
const time = z.string().describe('ISO-8601 UTC.');

export const wireRunSchema = z
  .object({
    run_id: z.number().int(),
    strategy_id: z.string().nullable(),
    kind: z.enum(RUN_KINDS),
    status: z.enum(RUN_STATUSES),
    contract_id: z.string(),
    timeframe: z.string(),
    fill_model: z.string(),
    range_from: time.nullable(),
    range_to: time.nullable(),
    starting_capital: money,
    equity: money.nullable().describe('Equity at the last equity point; null before the first.'),
    net_pnl: money.nullable().describe('equity − starting_capital; null before the first equity point.'),
    max_drawdown: money.nullable().describe('Largest fall of equity below its running peak (starting capital included).'),
    progress: z.number().describe('Backtests: share of the bars done, 0..1.'),
    watermark: time.nullable(),
    halt_reason: z.string().nullable(),
    halt_detail: z.string().nullable(),
    error: z.string().nullable(),
    created_at: time,
    started_at: time.nullable(),
    ended_at: time.nullable(),
    updated_at: time,
  })
  .meta({ title: 'StrategyRun' });
export type WireRun = z.infer<typeof wireRunSchema>;

export const wireReportSchema = z
  .object({
    net_profit: money,
    total_return: z.number().describe('Net profit / starting capital.'),
    cagr: z.number().nullable(),
    max_drawdown: money,
    max_drawdown_pct: z.number().describe('Fraction of the peak it fell from.'),
    max_drawdown_duration_ms: z.number(),
    sharpe: z.number().nullable(),
    sortino: z.number().nullable(),
    annualisation: z.string().describe('How Sharpe and Sortino are annualised.'),
    trades: z.number().int(),
    win_rate: z.number().nullable(),
    profit_factor: z.number().nullable(),
    average_win: money.nullable(),
    average_loss: money.nullable(),
    expectancy: money.nullable(),
    exposure: z.number(),
    fees_paid: money,
  })
  .meta({ title: 'RunReport' });
export type WireReport = z.infer<typeof wireReportSchema>;

export const runsResponseSchema = z.object({ runs: z.array(wireRunSchema) });
export type RunsResponse = z.infer<typeof runsResponseSchema>;

export const runDetailResponseSchema = z.object({
  run: wireRunSchema,
  config: z.unknown().describe('The parsed run config as it ran.'),
  params: z.unknown().nullable(),
  report: wireReportSchema.nullable().describe('metricsReport: latest (paper) or final (backtest); null before the first.'),
});
export type RunDetailResponse = z.infer<typeof runDetailResponseSchema>;

export const wireTradeSchema = z.object({
  trade_no: z.number().int(),
  side: z.enum(['long', 'short']),
  entry_time: time,
  exit_time: time,
  qty: z.number(),
  entry_price: z.number(),
  exit_price: z.number(),
  pnl: money.describe('Net of every fee of the round trip.'),
  fees: money,
  bars: z.number().int(),
});
export const wireOrderSchema = z.object({
  client_order_id: z.string(),
  role: z.string(),
  side: z.enum(['buy', 'sell']),
  order_type: z.string(),
  tif: z.string(),
  qty: z.number(),
  filled_qty: z.number(),
  limit_price: z.number().nullable(),
  stop_price: z.number().nullable(),
  status: z.string(),
  reason: z.string().nullable(),
  revision: z.number().int(),
  signal_key: z.string().nullable(),
  created_at: time,
  updated_at: time,
});
export const wireFillSchema = z.object({
  fill_id: z.string(),
  client_order_id: z.string(),
  role: z.string().nullable().describe("The order's role (entry, exit, stop_loss, take_profit, …)."),
  time,
  side: z.enum(['buy', 'sell']),
  qty: z.number(),
  price: z.number(),
  fee: money,
  realized_pnl: money,
});
export const wirePositionSchema = z.object({
  contract_id: z.string(),
  qty: z.number().describe('Signed net quantity.'),
  avg_price: z.number().nullable(),
  realized_pnl: money,
  updated_at: time,
});
export const wireEquityPointSchema = z.object({
  time,
  cash: money,
  equity: money,
  position_value: money,
  unrealized_pnl: money,
  realized_pnl: money,
  fees: money,
  margin_used: money,
  position: z.number(),
  drawdown: money.describe('Running peak of equity (from the starting capital) − equity.'),
});
export type WireTrade = z.infer<typeof wireTradeSchema>;
export type WireOrder = z.infer<typeof wireOrderSchema>;
export type WireFill = z.infer<typeof wireFillSchema>;
export type WirePosition = z.infer<typeof wirePositionSchema>;
export type WireEquityPoint = z.infer<typeof wireEquityPointSchema>;

function page<S extends z.ZodType>(item: S) {
  return z.object({
    run_id: z.number().int(),
    total: z.number().int().describe('Rows of the run in all.'),
    offset: z.number().int(),
    items: z.array(item),
  });
}
export const tradesPageSchema = page(wireTradeSchema);
export const ordersPageSchema = page(wireOrderSchema);
export const fillsPageSchema = page(wireFillSchema);
export const positionsPageSchema = page(wirePositionSchema);
export const equityPageSchema = page(wireEquityPointSchema);
export interface RecordPage<T> {
  run_id: number;
  total: number;
  offset: number;
  items: T[];
}

export const runIdResponseSchema = z.object({ run_id: z.number().int() });
export const runResponseSchema = z.object({ run: wireRunSchema });
export const commandResponseSchema = z.object({
  run_id: z.number().int(),
  seq: z.number().int().describe('The command’s sequence number in the run.'),
});
export const emergencyStopAllResponseSchema = z.object({
  commands: z.array(commandResponseSchema).describe('One emergency_stop command per running run.'),
});

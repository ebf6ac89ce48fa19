// Wire shapes of the /api/* responses: built by the route handlers, parsed by the browser.
import { z } from 'zod';

export const apiErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

export const wireBarSchema = z.object({
  timestamp: z.string(),
  open: z.number(),
  high: z.number(),
  low: z.number(),
  close: z.number(),
  volume: z.number(),
  is_closed: z.boolean(),
});
export type WireBar = z.infer<typeof wireBarSchema>;

export const ohlcResponseSchema = z.object({
  contract_id: z.string(),
  timeframe: z.string(),
  bars: z.array(wireBarSchema),
});
export type OhlcResponse = z.infer<typeof ohlcResponseSchema>;

export const wireTrendStartSchema = z.object({
  timestamp: z.string(),
  signal_type: z.string(),
  signal_price: z.number().nullable(),
  details: z.unknown(),
  trigger_timestamp: z.string(),
});
export type WireTrendStart = z.infer<typeof wireTrendStartSchema>;

export const trendStartsResponseSchema = z.object({
  contract_id: z.string(),
  timeframe: z.string(),
  analyzer_id: z.string(),
  signals: z.array(wireTrendStartSchema),
});
export type TrendStartsResponse = z.infer<typeof trendStartsResponseSchema>;

export const wireContractSchema = z.object({
  id: z.string(),
  provider: z.string(),
  symbol: z.string(),
  name: z.string(),
  description: z.string(),
  tick_size: z.number(),
  session_calendar: z.string(),
});
export type WireContract = z.infer<typeof wireContractSchema>;

export const contractsResponseSchema = z.object({
  contracts: z.array(wireContractSchema),
  timeframes: z.array(z.string()),
});
export type ContractsResponse = z.infer<typeof contractsResponseSchema>;

export const healthResponseSchema = z.object({ ok: z.literal(true), database: z.boolean() });
export type HealthResponse = z.infer<typeof healthResponseSchema>;

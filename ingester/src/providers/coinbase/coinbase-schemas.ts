// zod schemas of what Coinbase Advanced Trade sends us: WebSocket envelopes and events, candles, products, errors.
import { z } from 'zod';
import { parseRfc3339 } from '../rfc3339-time.ts';

/** Coinbase writes prices and sizes as decimal strings ("64123.45"): parsed to finite numbers. */
const decimal = z
  .string()
  .regex(/^\d+(\.\d+)?$/, 'not a decimal string')
  .transform(Number)
  .refine(Number.isFinite, 'not a finite number');
const positiveDecimal = decimal.refine((n) => n > 0, 'must be positive');

/** RFC 3339 with up to nanoseconds → epoch ms, fractional for microseconds. */
const rfc3339 = z.string().transform((text, ctx) => {
  const ms = parseRfc3339(text);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: 'not an RFC 3339 time' });
    return z.NEVER;
  }
  return ms;
});

/** Every market-data message: {channel, client_id, timestamp, sequence_num, events}. */
export const envelopeSchema = z.object({
  channel: z.string().min(1),
  timestamp: z.string().optional(),
  sequence_num: z.int().nonnegative(),
  events: z.array(z.unknown()),
});

/** What the venue sends instead of an envelope when it refuses something: {"type":"error","message":…}. */
export const errorMessageSchema = z.object({ type: z.literal('error'), message: z.string() });

export const marketTradeSchema = z.object({
  trade_id: z.string().regex(/^\d+$/, 'not a numeric trade id'),
  product_id: z.string().min(1),
  price: positiveDecimal,
  size: decimal,
  /** The taker's side (the aggressor). */
  side: z.enum(['BUY', 'SELL']),
  time: rfc3339,
});
export type MarketTrade = z.infer<typeof marketTradeSchema>;

export const marketTradesEventSchema = z.object({
  type: z.enum(['snapshot', 'update']),
  trades: z.array(marketTradeSchema),
});

export const tickerSchema = z.object({
  product_id: z.string().min(1),
  price: positiveDecimal,
  best_bid: positiveDecimal.optional(),
  best_ask: positiveDecimal.optional(),
});

export const tickerEventSchema = z.object({
  type: z.enum(['snapshot', 'update']),
  tickers: z.array(tickerSchema),
});

export const heartbeatEventSchema = z.object({
  current_time: z.string(),
  /** A string in the docs' example, a number in practice: either is accepted. */
  heartbeat_counter: z.union([z.int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)]),
});

/** The acknowledgement of a subscribe: {subscriptions: {market_trades: ["BTC-USD"], …}}. */
export const subscriptionsEventSchema = z.object({
  subscriptions: z.record(z.string(), z.array(z.string())),
});

/** One row of GET /api/v3/brokerage/market/products/{id}/candles: times in UNIX seconds, all strings. */
export const candleSchema = z.object({
  start: z.string().regex(/^\d+$/, 'not UNIX seconds').transform(Number),
  low: positiveDecimal,
  high: positiveDecimal,
  open: positiveDecimal,
  close: positiveDecimal,
  volume: decimal,
});
export const candlesResponseSchema = z.object({ candles: z.array(candleSchema) });
export type Candle = z.infer<typeof candleSchema>;

/** GET /api/v3/brokerage/market/products/{id}: only what we use. */
export const productSchema = z.object({
  product_id: z.string().min(1),
  quote_increment: positiveDecimal,
  base_name: z.string().optional(),
  quote_name: z.string().optional(),
});
export type Product = z.infer<typeof productSchema>;

/** Body of every REST error, e.g. {"error":"NOT_FOUND","error_details":"…","message":"…"}. */
export const restErrorBodySchema = z.object({
  error: z.string(),
  message: z.string().optional(),
  error_details: z.string().optional(),
});

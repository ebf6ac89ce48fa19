// zod schemas of what Binance sends us: kline rows, error bodies and combined-stream trade events.
import { z } from 'zod';

/** Binance writes prices and quantities as decimal strings ("0.01634790"): parsed to finite numbers. */
const decimal = z
  .string()
  .regex(/^\d+(\.\d+)?$/, 'not a decimal string')
  .transform(Number)
  .refine(Number.isFinite, 'not a finite number');

const positiveDecimal = decimal.refine((n) => n > 0, 'must be positive');
const epochMs = z.int().nonnegative();

/** One row of GET /api/v3/klines: [openTime, open, high, low, close, volume, closeTime, quoteVolume,
 * trades, takerBuyBase, takerBuyQuote, ignore]. Only the columns we use are checked strictly. */
export const klineRowSchema = z
  .tuple([epochMs, positiveDecimal, positiveDecimal, positiveDecimal, positiveDecimal, decimal, epochMs])
  .rest(z.unknown());

export const klinesResponseSchema = z.array(klineRowSchema);
export type KlineRow = z.infer<typeof klineRowSchema>;

/** Body of every REST error, e.g. {"code": -1121, "msg": "Invalid symbol."}. */
export const binanceErrorBodySchema = z.object({ code: z.number(), msg: z.string() });

/** Wrapper of every message on a /stream?streams=… connection. */
export const combinedMessageSchema = z.object({ stream: z.string().min(1), data: z.unknown() });

/** <symbol>@trade payload. Older payloads also carry b/a (order ids): ignored, like M. */
export const tradeEventSchema = z.object({
  e: z.literal('trade'),
  E: epochMs,
  s: z.string().min(1),
  t: z.int().nonnegative(),
  p: positiveDecimal,
  q: decimal,
  T: epochMs,
  m: z.boolean(),
});
export type TradeEvent = z.infer<typeof tradeEventSchema>;

/** Sent ahead of a server restart (stream '!serverShutdown'): move to a new connection now. */
export const serverShutdownSchema = z.object({ e: z.literal('serverShutdown'), E: epochMs });

// zod schemas of the ProjectX market hub events (GatewayTrade, GatewayQuote) as they arrive on the wire.
import { z } from 'zod';

/** Absent and null mean the same on the hub: the field did not change or is unknown. */
const optionalNumber = z.number().finite().nullish();

export const hubContractIdSchema = z.string().min(1);

export const hubTradeSchema = z.object({
  symbolId: z.string().nullish(),
  price: z.number().finite().positive(),
  /** ISO-8601 with up to 7 fractional digits and an offset. */
  timestamp: z.string(),
  /** 0 = buy (lifted the offer), 1 = sell (hit the bid); anything else is kept as 'unknown'. */
  type: z.number().int().nullish(),
  volume: z.number().finite().nonnegative(),
});
export type HubTrade = z.infer<typeof hubTradeSchema>;

/** A quote update: only the fields that changed may be present. */
export const hubQuoteSchema = z.object({
  symbol: z.string().nullish(),
  symbolName: z.string().nullish(),
  lastPrice: optionalNumber,
  bestBid: optionalNumber,
  bestAsk: optionalNumber,
  change: optionalNumber,
  changePercent: optionalNumber,
  open: optionalNumber,
  high: optionalNumber,
  low: optionalNumber,
  volume: optionalNumber,
  lastUpdated: z.string().nullish(),
  timestamp: z.string().nullish(),
});
export type HubQuote = z.infer<typeof hubQuoteSchema>;

// Tick: one trade (or quote) of one contract, in the domain and on the tick_data_channel wire.
import { z } from 'zod';

export const tradeSideSchema = z.enum(['buy', 'sell', 'unknown']);
export type TradeSide = z.infer<typeof tradeSideSchema>;

/** A trade as the ingester aggregates it. `time` is epoch ms, fractional for microseconds. */
export interface Trade {
  readonly contractId: string;
  readonly time: number;
  readonly price: number;
  readonly volume: number;
  readonly side: TradeSide;
  readonly tradeId?: string;
}

export const wireTickSchema = z.object({
  timestamp: z.iso.datetime({ offset: true }),
  price: z.number().positive(),
  volume: z.number().nonnegative(),
  side: tradeSideSchema,
});
export type WireTick = z.infer<typeof wireTickSchema>;

export const wireQuoteSchema = z.object({
  timestamp: z.iso.datetime({ offset: true }),
  last_price: z.number().positive().optional(),
  best_bid: z.number().positive().optional(),
  best_ask: z.number().positive().optional(),
});

export const tickBatchMessageSchema = z.object({
  type: z.literal('ticks'),
  contract_id: z.string().min(1),
  ticks: z.array(wireTickSchema),
  quotes: z.array(wireQuoteSchema).optional(),
});
export type TickBatchMessage = z.infer<typeof tickBatchMessageSchema>;

/** ISO-8601 UTC with microseconds when the time has them (Postgres keeps microseconds). */
export function isoWithMicros(ms: number): string {
  const whole = Math.floor(ms);
  const micros = Math.round((ms - whole) * 1000);
  const iso = new Date(whole).toISOString();
  if (micros === 0) return iso;
  return `${iso.slice(0, -1)}${String(micros).padStart(3, '0')}Z`;
}

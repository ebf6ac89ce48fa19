// Tick: one trade (or quote) of one contract, in the domain, on the tick_data_channel wire and to WebSocket clients.
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

/** Several contracts' ticks in one NOTIFY: the ingester's form, so a flush sends one NOTIFY per
 * 8000 bytes rather than one per contract. Clients never see it: the broadcaster relays each
 * contract's part as a TickBatchMessage. */
export const multiContractTicksMessageSchema = z.object({
  type: z.literal('ticks'),
  contracts: z.array(tickBatchMessageSchema.omit({ type: true })).min(1),
});

/** A tick_data_channel payload: one contract's batch (quotes, other senders) or several contracts'. */
export const tickNotifyPayloadSchema = z.union([tickBatchMessageSchema, multiContractTicksMessageSchema]);
export type TickNotifyPayload = z.infer<typeof tickNotifyPayloadSchema>;

/** The per-contract messages a tick_data_channel payload carries, in order. */
export function tickBatchesOf(payload: TickNotifyPayload): TickBatchMessage[] {
  return 'contracts' in payload ? payload.contracts.map((c) => ({ type: 'ticks', ...c })) : [payload];
}

/** ISO-8601 UTC with microseconds when the time has them (Postgres keeps microseconds). Hot path
 * for tick storage: the date part is formatted once per second. */
export function isoWithMicros(ms: number): string {
  const totalMicros = Math.round(ms * 1000);
  const whole = Math.floor(totalMicros / 1000);
  const micros = totalMicros - whole * 1000;
  const second = Math.floor(whole / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 19);
  }
  const milli = whole - second * 1000;
  return micros === 0 ? `${cachedPrefix}.${pad3(milli)}Z` : `${cachedPrefix}.${pad3(milli)}${pad3(micros)}Z`;
}

let cachedSecond = Number.NaN;
let cachedPrefix = '';

function pad3(n: number): string {
  return n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n);
}

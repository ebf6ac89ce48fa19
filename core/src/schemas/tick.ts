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
  /** The venue's trade id, stored as text (ticks.trade_id). A venue that numbers its trades may give the number
   * instead of its text: a number n stands for the text String(n), so it is only ever a whole 0 ≤ n ≤ 2^53 − 1
   * whose String(n) is exactly what the venue sent (an id with a leading zero stays a string). The ingester
   * then holds a number until it writes the id's digits, not a string a tick (see tradeIdText). */
  readonly tradeId?: TradeId;
}

/** A venue's trade id: its text, or a number standing for String(n) (see Trade.tradeId). */
export type TradeId = string | number;

/** Whether `id` may stand for its text as a number: a whole number 0 ≤ id ≤ 2^53 − 1 (String(id) is then
 * plain decimal digits, which a writer can produce from the number alone). */
export function isNumericTradeId(id: number): boolean {
  return Number.isSafeInteger(id) && id >= 0;
}

/** The text a trade id stands for (what ticks.trade_id holds). */
export function tradeIdText(id: TradeId): string;
export function tradeIdText(id: TradeId | undefined): string | undefined;
export function tradeIdText(id: TradeId | undefined): string | undefined {
  return typeof id === 'number' ? String(id) : id;
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

/** The columnar form's version: a reader of another version refuses the payload naming `v`. */
export const TICK_COLUMNS_VERSION = 1;

/** Sides in the columnar form, one character a tick: b(uy), s(ell), u(nknown). */
export const SIDE_CHARS: Readonly<Record<TradeSide, string>> = { buy: 'b', sell: 's', unknown: 'u' };
const SIDE_OF_CHAR: Readonly<Record<string, TradeSide>> = { b: 'buy', s: 'sell', u: 'unknown' };

/** A refinement, not `.int()` (whose failure aborts): the union then reports this field by name. */
const wholeMicros = z.number().refine(Number.isSafeInteger, 'is not a whole number of microseconds');

/** One contract's ticks as columns: times as whole epoch microseconds, `t0` plus the running sum of
 * `dt` (the first delta is 0), so no ISO time is formatted to send them; ~17 bytes a tick where the
 * object form took ~85. Every column has one entry a tick. */
export const tickColumnsSchema = z
  .object({
    contract_id: z.string().min(1),
    t0: wholeMicros,
    dt: z.array(wholeMicros).min(1),
    p: z.array(z.number().positive()),
    q: z.array(z.number().nonnegative()),
    s: z.string().regex(/^[bsu]*$/, 'sides are b, s or u, one a tick'),
  })
  .check((ctx) => {
    const { dt, p, q, s } = ctx.value;
    for (const [key, length] of [
      ['p', p.length],
      ['q', q.length],
      ['s', s.length],
    ] as const) {
      if (length !== dt.length)
        // `continue`: not an abort, so the union reports this form's error rather than "no form matched".
        ctx.issues.push({
          code: 'custom',
          input: ctx.value,
          path: [key],
          message: `has ${length} entries for ${dt.length} ticks`,
          continue: true,
        });
    }
  });
export type TickColumns = z.infer<typeof tickColumnsSchema>;

/** The ingester's tick_data_channel form: several contracts' ticks as columns, version-marked. A
 * listener that knows only the object forms refuses it (its `type` is neither), never misreads it. */
export const tickColumnsMessageSchema = z.object({
  type: z.literal('tick_columns'),
  // Not a literal: a wrong version then fails this form alone, and the error names `v`.
  v: z.number().refine((v) => v === TICK_COLUMNS_VERSION, `this reader knows version ${TICK_COLUMNS_VERSION} of the columnar form only`),
  contracts: z.array(tickColumnsSchema).min(1),
});
export type TickColumnsMessage = z.infer<typeof tickColumnsMessageSchema>;

/** A tick_data_channel payload: one contract's batch (quotes, other senders), several contracts' as
 * objects (older ingesters), or several contracts' as columns (the ingester). A payload whose `type`
 * matches one form alone gets that form's errors, naming the field. */
export const tickNotifyPayloadSchema = z.union([tickBatchMessageSchema, multiContractTicksMessageSchema, tickColumnsMessageSchema]);
export type TickNotifyPayload = z.infer<typeof tickNotifyPayloadSchema>;

/** One contract's columns as the client message (ISO times with microseconds). */
export function tickColumnsBatch(c: TickColumns): TickBatchMessage {
  const ticks: WireTick[] = new Array<WireTick>(c.dt.length);
  let micros = c.t0;
  for (let i = 0; i < c.dt.length; i++) {
    micros += c.dt[i] as number;
    ticks[i] = {
      timestamp: isoFromMicros(micros),
      price: c.p[i] as number,
      volume: c.q[i] as number,
      side: SIDE_OF_CHAR[c.s.charAt(i)] ?? 'unknown',
    };
  }
  return { type: 'ticks', contract_id: c.contract_id, ticks };
}

/** The per-contract messages a tick_data_channel payload carries, in order. */
export function tickBatchesOf(payload: TickNotifyPayload): TickBatchMessage[] {
  if (payload.type === 'tick_columns') return payload.contracts.map(tickColumnsBatch);
  return 'contracts' in payload ? payload.contracts.map((c) => ({ type: 'ticks', ...c })) : [payload];
}

/** The contracts a tick_data_channel payload carries, in order, without expanding its ticks. */
export function tickContractIdsOf(payload: TickNotifyPayload): string[] {
  return 'contracts' in payload ? payload.contracts.map((c) => c.contract_id) : [payload.contract_id];
}

/** ISO-8601 UTC with microseconds when the time has them (Postgres keeps microseconds). Hot path
 * for tick storage: the date part is formatted once per second. */
export function isoWithMicros(ms: number): string {
  return isoFromMicros(Math.round(ms * 1000));
}

/** isoWithMicros from whole epoch microseconds (the columnar tick payload's times). */
export function isoFromMicros(totalMicros: number): string {
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

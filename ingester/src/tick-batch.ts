// One flush's ticks, columnar: a typed array per numeric field and a contract index per tick, so a
// flush holds a few arrays instead of a Trade object (and its strings) per tick until it commits.
import { isNumericTradeId, type Trade, type TradeSide } from '@barstream/core';

/** Sides by code (a tick's `side` column holds the index). */
export const SIDES: readonly TradeSide[] = ['buy', 'sell', 'unknown'];
/** The code of a side; anything else is an error naming it (the pipeline's validator refuses such a
 * trade before it gets here). */
export function sideCode(side: TradeSide): number {
  if (side === 'buy') return 0;
  if (side === 'sell') return 1;
  if (side === 'unknown') return 2;
  throw new Error(`trade side '${String(side)}' is not buy, sell or unknown`);
}

export interface TickBatch {
  readonly length: number;
  /** Contract ids by index; `contract` holds each tick's index into it. */
  readonly contractIds: readonly string[];
  readonly contract: Uint32Array;
  /** Epoch ms, fractional for microseconds. */
  readonly time: Float64Array;
  readonly price: Float64Array;
  readonly volume: Float64Array;
  /** Index into SIDES. */
  readonly side: Uint8Array;
  /** Vendor trade ids given as text, or undefined when no tick of the batch has one. */
  readonly tradeId: readonly (string | undefined)[] | undefined;
  /** Vendor trade ids given as numbers (Trade.tradeId: each stands for String(n), its decimal digits), NaN for a
   * tick whose id is text or absent; undefined when no tick of the batch has one. A tick's id is the number
   * here when there is one, else its text in `tradeId`: no string a tick is held for numbered ids. */
  readonly tradeNo: Float64Array | undefined;
}

/** Tick `i`'s id as stored (ticks.trade_id), or undefined: a number's decimal digits, else the text. */
export function tradeIdTextAt(batch: TickBatch, i: number): string | undefined {
  const no = batch.tradeNo?.[i];
  if (no !== undefined && !Number.isNaN(no)) return String(no);
  return batch.tradeId?.[i];
}

export const EMPTY_TICK_BATCH: TickBatch = tickBatchOf([]);

/** The batch of these trades (callers that hold Trade objects: tests, tools, the one-off writes). */
export function tickBatchOf(trades: readonly Trade[]): TickBatch {
  const n = trades.length;
  const contractIds: string[] = [];
  const indexOf = new Map<string, number>();
  const batch = {
    length: n,
    contractIds,
    contract: new Uint32Array(n),
    time: new Float64Array(n),
    price: new Float64Array(n),
    volume: new Float64Array(n),
    side: new Uint8Array(n),
    tradeId: trades.some((t) => t.tradeId !== undefined && !numbered(t.tradeId))
      ? trades.map((t) => (t.tradeId === undefined || numbered(t.tradeId) ? undefined : String(t.tradeId)))
      : undefined,
    tradeNo: trades.some((t) => numbered(t.tradeId))
      ? Float64Array.from(trades, (t) => (numbered(t.tradeId) ? t.tradeId : NaN))
      : undefined,
  };
  for (let i = 0; i < n; i++) {
    const t = trades[i] as Trade;
    let c = indexOf.get(t.contractId);
    if (c === undefined) {
      c = contractIds.push(t.contractId) - 1;
      indexOf.set(t.contractId, c);
    }
    batch.contract[i] = c;
    batch.time[i] = t.time;
    batch.price[i] = t.price;
    batch.volume[i] = t.volume;
    batch.side[i] = sideCode(t.side);
  }
  return batch;
}

/** Whether a trade's id is kept as a number (a whole 0 ≤ n ≤ 2^53 − 1); any other number is kept as its text. */
export function numbered(id: Trade['tradeId']): id is number {
  return typeof id === 'number' && isNumericTradeId(id);
}

// One flush's ticks, columnar: a typed array per numeric field and a contract index per tick, so a
// flush holds a few arrays instead of a Trade object (and its strings) per tick until it commits.
import type { Trade, TradeSide } from '@barstream/core';

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
  /** Vendor trade ids, or undefined when no tick of the batch has one. */
  readonly tradeId: readonly (string | undefined)[] | undefined;
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
    tradeId: trades.some((t) => t.tradeId !== undefined) ? trades.map((t) => t.tradeId) : undefined,
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

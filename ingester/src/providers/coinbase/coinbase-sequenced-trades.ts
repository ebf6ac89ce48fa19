// A Coinbase frame's trades put in id order. The venue's trade id travels as the Trade's own tradeId (the number,
// or its text as sent when that is not the number's own decimal form: numbered-trade-id.ts); where ids are compared (the order here, the dedupe across connections) they are numbers,
// kept beside the trades (`ids[k]` is `trades[k]`'s) so no id's text is read back per trade: a live id has
// 9+ digits, past the 7 whose number V8 caches in a string, so Number() of it is a parse (~75 ns).
import type { Trade } from '@barstream/core';

/** A Coinbase trade's id as a number (ids grow per product), read from its text when it is text. */
export function tradeIdOf(trade: Trade): number {
  return Number(trade.tradeId);
}

/** Puts the trades in id order, ties in the order sent, and `ids` (each trade's id as a number, read from its
 * text when not given) in the same order; returns them. The venue batches 250 ms of trades newest first, so
 * mostly a reversal. */
export function inIdOrder(trades: Trade[], ids: number[] = trades.map(tradeIdOf)): number[] {
  const n = trades.length;
  let descending = true;
  for (let i = 1; i < n && descending; i++) descending = (ids[i - 1] as number) > (ids[i] as number);
  if (descending) {
    trades.reverse();
    ids.reverse();
    return ids;
  }
  // Array.prototype.sort is stable: ties keep the order they were sent in.
  const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => (ids[a] as number) - (ids[b] as number));
  const sortedTrades = order.map((k) => trades[k] as Trade);
  const sortedIds = order.map((k) => ids[k] as number);
  for (let k = 0; k < n; k++) {
    trades[k] = sortedTrades[k] as Trade;
    ids[k] = sortedIds[k] as number;
  }
  return ids;
}

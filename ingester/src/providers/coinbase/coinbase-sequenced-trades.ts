// A Coinbase frame's trades put in id order. The venue's trade id travels as the Trade's own tradeId (its
// text as sent) and is read back as a number where it is compared (the order here, the dedupe across
// connections): no object per trade around each Trade, no column of ids beside them. Number() of a short
// digit string V8 made from a number (the byte scan's ids) is a cached lookup, not a parse.
import type { Trade } from '@barstream/core';

/** A Coinbase trade's id as a number: ids grow per product. */
export function tradeIdOf(trade: Trade): number {
  return Number(trade.tradeId);
}

/** Puts the trades in id order, ties in the order sent: the venue batches 250 ms of trades newest first, so
 * mostly a reversal. */
export function inIdOrder(trades: Trade[]): void {
  const n = trades.length;
  let descending = true;
  for (let i = 1; i < n && descending; i++) descending = tradeIdOf(trades[i - 1] as Trade) > tradeIdOf(trades[i] as Trade);
  if (descending) trades.reverse();
  // Array.prototype.sort is stable: ties keep the order they were sent in.
  else trades.sort((a, b) => tradeIdOf(a) - tradeIdOf(b));
}

// The `bar` fill model: at which price (whole ticks) a working order fills inside one closed bar, or not.
//
// Rules (docs/TRADING.md repeats them):
// - An order working when the bar opens sees the whole bar and may fill at the open ("gap-through"):
//   market → open ± slippage; buy limit L → open if open ≤ L, else L if low ≤ L; buy stop S → open +
//   slippage if open ≥ S, else S + slippage if high ≥ S (sells mirror).
// - A stop-limit triggers like the stop, then is a limit: at the open when it triggered at the open and
//   the open is within the limit, else at the limit if the bar reaches it, else it stays working
//   (triggered) and is a plain limit on later bars.
// - An order placed inside the bar (a bracket leg of an entry filled there) cannot fill at the open; it
//   fills at its own price when the range reaches it.
// - Slippage moves market and stop fills against the order; limit fills never slip.
// - Every fill is clamped into [low, high]: no fill outside its bar's range.
import type { Order } from './order.ts';

/** A bar's open/high/low/close in whole ticks. */
export interface BarTicks {
  open: number;
  high: number;
  low: number;
  close: number;
}

/** Fill price in ticks of `order` in `bar`, or NaN; sets `order.triggered` when a stop trades. */
export function barFillTicks(order: Order, bar: BarTicks, slipTicks: number): number {
  const buy = order.side === 'buy';
  const atOpen = !order.placedInBar;
  let price = NaN;
  switch (order.type) {
    case 'market':
      if (atOpen) price = buy ? bar.open + slipTicks : bar.open - slipTicks;
      break;
    case 'limit':
      price = limitPrice(buy, order.limitTicks!, bar, atOpen);
      break;
    case 'stop':
      if (order.triggered) {
        if (atOpen) price = buy ? bar.open + slipTicks : bar.open - slipTicks;
        break;
      }
      price = stopTrigger(buy, order.stopTicks!, bar, atOpen);
      if (!Number.isNaN(price)) {
        order.triggered = true;
        price = buy ? price + slipTicks : price - slipTicks;
      }
      break;
    case 'stop_limit': {
      const limit = order.limitTicks!;
      if (order.triggered) {
        price = limitPrice(buy, limit, bar, atOpen);
        break;
      }
      const trigger = stopTrigger(buy, order.stopTicks!, bar, atOpen);
      if (Number.isNaN(trigger)) break;
      order.triggered = true;
      if (atOpen && trigger === bar.open) {
        price = limitPrice(buy, limit, bar, true);
      } else {
        // Triggered inside the bar at the stop: marketable when the stop is within the limit.
        const marketable = buy ? trigger <= limit : trigger >= limit;
        price = marketable ? trigger : limitPrice(buy, limit, bar, false);
      }
      break;
    }
  }
  if (Number.isNaN(price)) return NaN;
  return price > bar.high ? bar.high : price < bar.low ? bar.low : price;
}

function limitPrice(buy: boolean, limit: number, bar: BarTicks, atOpen: boolean): number {
  if (buy) {
    if (atOpen && bar.open <= limit) return bar.open;
    return bar.low <= limit ? limit : NaN;
  }
  if (atOpen && bar.open >= limit) return bar.open;
  return bar.high >= limit ? limit : NaN;
}

/** The price a stop triggers at: the open when it gapped through, else the stop; NaN when untouched. */
function stopTrigger(buy: boolean, stop: number, bar: BarTicks, atOpen: boolean): number {
  if (buy) {
    if (atOpen && bar.open >= stop) return bar.open;
    return bar.high >= stop ? stop : NaN;
  }
  if (atOpen && bar.open <= stop) return bar.open;
  return bar.low <= stop ? stop : NaN;
}

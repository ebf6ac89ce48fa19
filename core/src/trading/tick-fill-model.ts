// The `tick` fill model: an order fills on the first trade or quote at or after its acknowledgement
// (createdAt + seeded latency) that reaches it.
//
// Rules: market → buy at the ask / sell at the bid of a quote, or the trade price ± slippage on a trade;
// limit → on a trade at or through the limit, or an ask (buy) / bid (sell) at or through it: at the limit,
// except on the order's first eligible event, where a marketable order fills at the market (gap);
// stop → triggers on a trade at or through the stop (or the ask/bid crossing it) and fills there ± slippage
// on trades (the quote side as is); stop-limit → triggers as the stop, then is the limit.
import type { Order } from './order.ts';

/** One market event in ticks: a trade (price, no bid/ask) or a quote (bid and ask). */
export interface MarketTicks {
  isQuote: boolean;
  price: number;
  bid: number;
  ask: number;
}

/** Fill price in ticks of `order` on this event, or NaN; sets `order.triggered` / `order.seenMarket`. */
export function tickFillTicks(order: Order, event: MarketTicks, slipTicks: number): number {
  const buy = order.side === 'buy';
  const first = !order.seenMarket;
  order.seenMarket = true;
  // The price a buyer pays now / a seller receives now.
  const take = event.isQuote ? (buy ? event.ask : event.bid) : buy ? event.price + slipTicks : event.price - slipTicks;
  // The price that tests a resting order: a trade print, or the opposite quote side.
  const touch = event.isQuote ? (buy ? event.ask : event.bid) : event.price;
  switch (order.type) {
    case 'market':
      return take;
    case 'limit':
      return limitFill(buy, order.limitTicks!, touch, first);
    case 'stop':
      if (!order.triggered && !(buy ? touch >= order.stopTicks! : touch <= order.stopTicks!)) return NaN;
      order.triggered = true;
      return take;
    case 'stop_limit':
      if (!order.triggered) {
        if (!(buy ? touch >= order.stopTicks! : touch <= order.stopTicks!)) return NaN;
        order.triggered = true;
        return limitFill(buy, order.limitTicks!, touch, true);
      }
      return limitFill(buy, order.limitTicks!, touch, first);
  }
}

function limitFill(buy: boolean, limit: number, touch: number, marketable: boolean): number {
  if (buy ? touch > limit : touch < limit) return NaN;
  return marketable ? touch : limit;
}

import { describe, expect, it } from 'vitest';
import { type BarTicks, barFillTicks } from './bar-fill-model.ts';
import type { Order, OrderSide, OrderType } from './order.ts';

// Prices in ticks. The bar: open 100, high 104, low 96, close 101.
const BAR: BarTicks = { open: 100, high: 104, low: 96, close: 101 };
const GAP_DOWN: BarTicks = { open: 90, high: 92, low: 88, close: 91 };

function order(side: OrderSide, type: OrderType, prices: { limit?: number; stop?: number } = {}, placedInBar = false): Order {
  return {
    clientOrderId: 'o',
    seq: 0,
    role: 'manual',
    side,
    type,
    tif: 'gtc',
    signalKey: null,
    session: 0,
    createdAt: 0,
    activeAt: 0,
    qtySteps: 1,
    filledSteps: 0,
    limitTicks: prices.limit ?? null,
    stopTicks: prices.stop ?? null,
    status: 'working',
    reason: null,
    triggered: false,
    seenMarket: false,
    revision: 0,
    placedInBar,
    bracket: null,
    fills: 0,
    bracketBase: null,
    legs: null,
  };
}

describe('bar fill model', () => {
  it('market: the open ± slippage, clamped into the bar; never inside the bar it was placed in', () => {
    expect(barFillTicks(order('buy', 'market'), BAR, 2)).toBe(102);
    expect(barFillTicks(order('sell', 'market'), BAR, 2)).toBe(98);
    expect(barFillTicks(order('buy', 'market'), BAR, 10)).toBe(104);
    expect(barFillTicks(order('sell', 'market'), BAR, 10)).toBe(96);
    expect(barFillTicks(order('buy', 'market', {}, true), BAR, 0)).toBeNaN();
  });

  it('limit: at the limit when the range reaches it, at the open when the open is already through it, no slippage', () => {
    expect(barFillTicks(order('buy', 'limit', { limit: 98 }), BAR, 3)).toBe(98);
    expect(barFillTicks(order('buy', 'limit', { limit: 101 }), BAR, 3)).toBe(100);
    expect(barFillTicks(order('buy', 'limit', { limit: 95 }), BAR, 3)).toBeNaN();
    expect(barFillTicks(order('sell', 'limit', { limit: 103 }), BAR, 3)).toBe(103);
    expect(barFillTicks(order('sell', 'limit', { limit: 99 }), BAR, 3)).toBe(100);
    expect(barFillTicks(order('sell', 'limit', { limit: 105 }), BAR, 3)).toBeNaN();
    // Placed inside the bar: no fill at the open, at its own price.
    expect(barFillTicks(order('buy', 'limit', { limit: 101 }, true), BAR, 0)).toBe(101);
  });

  it('stop: at the stop + slippage when touched, at the open when the bar gaps through it', () => {
    const buyStop = order('buy', 'stop', { stop: 102 });
    expect(barFillTicks(buyStop, BAR, 1)).toBe(103);
    expect(buyStop.triggered).toBe(true);
    expect(barFillTicks(order('buy', 'stop', { stop: 99 }), BAR, 1)).toBe(101);
    expect(barFillTicks(order('sell', 'stop', { stop: 97 }), BAR, 1)).toBe(96);
    expect(barFillTicks(order('sell', 'stop', { stop: 97 }), BAR, 5)).toBe(96); // clamped to the low
    const untouched = order('sell', 'stop', { stop: 95 });
    expect(barFillTicks(untouched, BAR, 1)).toBeNaN();
    expect(untouched.triggered).toBe(false);
    // Gap down through a sell stop at 95: the open, 90, less a tick of slippage.
    expect(barFillTicks(order('sell', 'stop', { stop: 95 }), GAP_DOWN, 1)).toBe(89);
  });

  it('stop-limit: triggers like the stop, then fills as a limit or keeps working triggered', () => {
    expect(barFillTicks(order('buy', 'stop_limit', { stop: 102, limit: 103 }), BAR, 5)).toBe(102);
    // Limit below the stop: after the trigger the bar must come back to the limit.
    expect(barFillTicks(order('buy', 'stop_limit', { stop: 102, limit: 101 }), BAR, 5)).toBe(101);
    // Gap through the stop with the open beyond the limit, and the bar never back to it: triggered, not filled.
    const gapped = order('sell', 'stop_limit', { stop: 95, limit: 93 });
    expect(barFillTicks(gapped, GAP_DOWN, 0)).toBeNaN();
    expect(gapped.triggered).toBe(true);
    // Next bar it is a plain sell limit at 93: opens at 94 ≥ 93 → filled at the open.
    expect(barFillTicks(gapped, { open: 94, high: 95, low: 92, close: 93 }, 0)).toBe(94);
    expect(barFillTicks(order('buy', 'stop_limit', { stop: 106, limit: 107 }), BAR, 0)).toBeNaN();
  });
});

// The simulated market's contract: history bars are exactly the aggregate of the live trades, any
// slice of the stream is the same trades, and a seed always gives the same market.
import { describe, expect, it } from 'vitest';
import type { ContractSettings, Trade } from '@barstream/core';
import { SimulatedMarket } from './simulated-market.ts';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 2, 2, 14, 0);
const contract = {
  id: 'SIM.X',
  provider: 'simulated',
  symbol: 'SIMX',
  name: 'x',
  tick_size: 0.25,
  session_calendar: 'utc',
  start_price: 5600,
} as ContractSettings;

describe('SimulatedMarket', () => {
  it.each([1, 3, 4, 40, 2_400, 40_000])('serves 1m bars equal to the aggregate of the minute’s trades (%i trades/min)', (perMinute) => {
    const market = new SimulatedMarket(7, perMinute);
    const bars = market.minuteBars(contract, T0, T0 + 5 * MINUTE);
    expect(bars).toHaveLength(5);
    for (const bar of bars) {
      const trades = market.minuteTrades(contract, bar.time);
      expect(trades.length).toBeGreaterThan(0);
      expect({
        open: trades[0]?.price,
        close: trades.at(-1)?.price,
        high: Math.max(...trades.map((t) => t.price)),
        low: Math.min(...trades.map((t) => t.price)),
        volume: trades.reduce((s, t) => s + t.volume, 0),
      }).toEqual({ open: bar.open, close: bar.close, high: bar.high, low: bar.low, volume: bar.volume });
      for (const t of trades) expect(t.time >= bar.time && t.time < bar.time + MINUTE).toBe(true);
      expect(trades.map((t) => t.time)).toEqual([...trades.map((t) => t.time)].sort((a, b) => a - b));
    }
  });

  it('gives the same trades for a range however the range is sliced, and from a fresh instance', () => {
    const market = new SimulatedMarket(7, 2_400);
    const whole = market.tradesBetween(contract, T0 - 1, T0 + 2 * MINUTE);
    const sliced: Trade[] = [];
    // 50 ms slices, like the provider's emission timer, crossing minute boundaries.
    for (let t = T0 - 1; t < T0 + 2 * MINUTE; t += 50) sliced.push(...market.tradesBetween(contract, t, Math.min(t + 50, T0 + 2 * MINUTE)));
    expect(sliced).toEqual(whole);
    expect(whole).toEqual([...market.minuteTrades(contract, T0), ...market.minuteTrades(contract, T0 + MINUTE)]);
    expect(new SimulatedMarket(7, 2_400).tradesBetween(contract, T0 - 1, T0 + 2 * MINUTE)).toEqual(whole);
    expect(new SimulatedMarket(8, 2_400).tradesBetween(contract, T0 - 1, T0 + 2 * MINUTE)).not.toEqual(whole);
  });

  it('keeps prices on the tick grid and positive', () => {
    const cheap = { ...contract, start_price: 0.5 };
    for (const t of new SimulatedMarket(3, 400).tradesBetween(cheap, T0, T0 + 10 * MINUTE)) {
      expect(t.price).toBeGreaterThan(0);
      expect(Number.isInteger(Math.round((t.price / 0.25) * 1e6) / 1e6)).toBe(true);
    }
  });
});

import type { ContractSettings } from '@barstream/core';
import { describe, expect, it } from 'vitest';
import { SimulatedMarket } from './simulated-market.ts';

const contract = { id: 'SIM.MES', tick_size: 0.25, start_price: 5600 } as ContractSettings;
const HOUR_MS = 3_600_000;

describe('SimulatedMarket.minuteBars', () => {
  it('is exactly the aggregate of the minute trades the live stream sends', () => {
    const market = new SimulatedMarket(42, 400);
    const from = Date.UTC(2026, 0, 5, 14, 0);
    const bars = market.minuteBars(contract, from, from + 3 * HOUR_MS);
    expect(bars).toHaveLength(180);
    for (const bar of bars) {
      const trades = new SimulatedMarket(42, 400).minuteTrades(contract, bar.time);
      expect(bar).toEqual({
        time: bar.time,
        open: trades[0]?.price,
        close: trades.at(-1)?.price,
        high: Math.max(...trades.map((t) => t.price)),
        low: Math.min(...trades.map((t) => t.price)),
        volume: trades.reduce((v, t) => v + t.volume, 0),
      });
    }
  });
});

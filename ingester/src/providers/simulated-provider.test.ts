import { type ContractSettings, parseTimeframe } from '@barstream/core';
import { describe, expect, it } from 'vitest';
import { SimulatedMarket } from './simulated-market.ts';
import { SimulatedProvider } from './simulated-provider.ts';

const contract = { id: 'SIM.MES', tick_size: 0.25, start_price: 5600 } as ContractSettings;

describe('SimulatedProvider.fetchBars', () => {
  it('serves history generated an hour at a time exactly as in one piece: no minute missing or twice', async () => {
    const now = Date.UTC(2026, 0, 5, 20, 0, 30);
    const provider = new SimulatedProvider({ contracts: [contract], ticksPerSecond: 5, seed: 42, now: () => now });
    const from = Date.UTC(2026, 0, 5, 14, 17, 12_345 / 1000);
    const bars = await provider.fetchBars(contract.id, parseTimeframe('1m'), from, now);
    // Complete minutes only: up to 20:00 (the current minute is still trading).
    expect(bars).toEqual(new SimulatedMarket(42, 5 * 60).minuteBars(contract, from, Date.UTC(2026, 0, 5, 20, 0)));
    expect(bars).toHaveLength(60 * 6 - 18);
  });
});

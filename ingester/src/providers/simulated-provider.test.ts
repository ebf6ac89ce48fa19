import {
  type ContractSettings,
  exchangeCalendarSpecByName,
  parseTimeframe,
  SessionCalendar,
  type SessionCalendarSpec,
  type Trade,
} from '@barstream/core';
import { describe, expect, it, vi } from 'vitest';
import type { ProviderSink } from './provider.ts';
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

describe('SimulatedProvider on a session calendar', () => {
  const cme = new SessionCalendar(exchangeCalendarSpecByName('cme_equity_futures') as SessionCalendarSpec);
  const isOpen = (_contract: ContractSettings, minute: number): boolean => cme.isOpen(minute);

  it('serves no history while the CME is closed: the daily halt, the weekend, a holiday', async () => {
    // Friday 2025-05-23 20:00 UTC to Tuesday 2025-05-27 00:00 UTC: Friday's last hour, the weekend,
    // Sunday evening and Monday morning (Memorial Day, halted 17:00 UTC), Monday evening.
    const now = Date.UTC(2025, 4, 27, 0, 0, 0);
    const provider = new SimulatedProvider({ contracts: [contract], ticksPerSecond: 5, seed: 42, now: () => now, isOpen });
    const bars = await provider.fetchBars(contract.id, parseTimeframe('1m'), Date.UTC(2025, 4, 23, 20), now);
    expect(bars.every((b) => cme.isOpen(b.time))).toBe(true);
    const iso = (ms: number | undefined): string => new Date(ms ?? 0).toISOString();
    const runs: string[] = [];
    bars.forEach((b, i) => {
      if (i === 0 || b.time !== (bars[i - 1]?.time ?? 0) + 60_000) runs.push(iso(b.time));
    });
    expect(runs).toEqual(['2025-05-23T20:00:00.000Z', '2025-05-25T22:00:00.000Z', '2025-05-26T22:00:00.000Z']);
    expect(bars).toHaveLength(60 + 19 * 60 + 2 * 60);
  });

  /** Trades emitted over two seconds of fake time from `start`, SIM.MES on the CME and SIM.BTC 24/7. */
  async function liveTrades(start: number): Promise<Trade[]> {
    vi.useFakeTimers();
    try {
      let now = start;
      const btc = { id: 'SIM.BTC', tick_size: 0.01, start_price: 65000 } as ContractSettings;
      const provider = new SimulatedProvider({
        contracts: [contract, btc],
        ticksPerSecond: 20,
        seed: 7,
        now: () => now,
        intervalMs: 50,
        isOpen: (c, minute) => (c.id === 'SIM.BTC' ? true : cme.isOpen(minute)),
      });
      const trades: Trade[] = [];
      await provider.start({
        onTrades: (t: readonly Trade[]) => trades.push(...t),
        onConnectionChange: () => undefined,
      } as unknown as ProviderSink);
      for (let i = 0; i < 40; i++) {
        now += 50;
        vi.advanceTimersByTime(50);
      }
      await provider.stop();
      return trades;
    } finally {
      vi.useRealTimers();
    }
  }

  it('emits live trades only while the market is open, and at once for a 24/7 contract', async () => {
    const saturday = await liveTrades(Date.UTC(2025, 4, 24, 12, 0, 0));
    expect(saturday.length).toBeGreaterThan(0);
    expect(saturday.every((t) => t.contractId === 'SIM.BTC')).toBe(true);
    // Sunday 17:00 CT: Globex opens.
    const sunday = await liveTrades(Date.UTC(2025, 4, 25, 22, 0, 0));
    expect(sunday.some((t) => t.contractId === 'SIM.MES')).toBe(true);
    expect(sunday.filter((t) => t.contractId === 'SIM.MES').every((t) => cme.isOpen(t.time))).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { applyLiveMessage } from './overview-live.ts';
import type { ContractSummary } from './queries/market-summary.ts';

const row = (id: string, over: Partial<ContractSummary> = {}): ContractSummary => ({
  contract: {
    id,
    provider: 'simulated',
    symbol: id,
    name: id,
    description: '',
    tick_size: 0.25,
    session_calendar: 'cme_globex',
    timezone: 'America/Chicago',
    session_open: '17:00',
  },
  lastPrice: 100,
  lastTickAt: '2025-01-08T15:00:00.000Z',
  sessionOpenAt: '2025-01-07T23:00:00.000Z',
  sessionOpenPrice: 98,
  change: 2,
  changePercent: (2 / 98) * 100,
  lastSignal: null,
  market: null,
  ...over,
});
const ticks = (contract_id: string, ...ticks: [string, number][]) => ({
  type: 'ticks',
  contract_id,
  ticks: ticks.map(([timestamp, price]) => ({ timestamp, price, volume: 1, side: 'buy' })),
});

describe('applyLiveMessage', () => {
  const rows = [row('A'), row('B')];

  it('moves the last price, tick time and session change to the newest trade of a batch', () => {
    const next = applyLiveMessage(rows, ticks('B', ['2025-01-08T15:00:02.000Z', 99], ['2025-01-08T15:00:01.500000Z', 101]));
    expect(next[0]).toBe(rows[0]);
    expect(next[1]).toMatchObject({ lastPrice: 99, lastTickAt: '2025-01-08T15:00:02.000Z', change: 1, sessionOpenPrice: 98 });
    expect(next[1]?.changePercent).toBeCloseTo((1 / 98) * 100);
  });

  it('starts a new session from its first trade', () => {
    // 23:00 UTC on 8 Jan is 17:00 CST: the session of trade date 9 Jan opens.
    const next = applyLiveMessage(rows, ticks('A', ['2025-01-08T23:00:05.000Z', 105]));
    expect(next[0]).toMatchObject({ lastPrice: 105, sessionOpenAt: '2025-01-08T23:00:00.000Z', sessionOpenPrice: 105, change: 0 });
  });

  it('ignores trades older than the one shown, other contracts, and anything malformed', () => {
    expect(applyLiveMessage(rows, ticks('A', ['2025-01-08T14:59:00.000Z', 1]))).toBe(rows);
    expect(applyLiveMessage(rows, ticks('Z', ['2025-01-08T15:01:00.000Z', 1]))).toBe(rows);
    expect(applyLiveMessage(rows, ticks('A'))).toBe(rows);
    expect(applyLiveMessage(rows, { type: 'ticks', contract_id: 'A', ticks: [{ price: -1 }] })).toBe(rows);
    expect(applyLiveMessage(rows, { type: 'pong' })).toBe(rows);
  });

  it('makes a stored signal the last signal', () => {
    const signal = {
      type: 'signal',
      signal_id: 1,
      analyzer_id: 'ema_cross',
      contract_id: 'A',
      timeframe: '1m',
      timestamp: '2025-01-08T15:00:00.000Z',
      trigger_timestamp: '2025-01-08T15:01:00.000Z',
      signal_type: 'buy',
      signal_price: 100,
      details: {},
    };
    expect(applyLiveMessage(rows, signal)[0]?.lastSignal).toEqual({
      analyzerId: 'ema_cross',
      signalType: 'buy',
      timeframe: '1m',
      timestamp: '2025-01-08T15:00:00.000Z',
    });
  });
});

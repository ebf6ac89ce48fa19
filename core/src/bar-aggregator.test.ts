import { describe, expect, it } from 'vitest';
import { BarAggregator } from './bar-aggregator.ts';
import type { Trade } from './schemas/tick.ts';
import { SessionCalendar, UTC_CALENDAR } from './session-calendar.ts';
import { parseTimeframe } from './timeframe.ts';

const calendar = new SessionCalendar(UTC_CALENDAR);
const T0 = Date.parse('2025-06-02T10:00:00Z');
const trade = (offsetMs: number, price: number, volume = 1): Trade => ({
  contractId: 'X',
  time: T0 + offsetMs,
  price,
  volume,
  side: 'buy',
});
const make = (graceMs = 1000) =>
  new BarAggregator({ timeframes: ['5m', '1m'].map((t) => parseTimeframe(t)), calendarFor: () => calendar, graceMs });

describe('BarAggregator', () => {
  it('builds OHLCV for every timeframe in one pass', () => {
    const agg = make();
    for (const [dt, p, v] of [
      [0, 10, 1],
      [10_000, 12, 2],
      [20_000, 9, 3],
      [70_000, 11, 4],
    ] as const)
      agg.addTrade(trade(dt, p, v), T0 + dt);
    const bars = agg.drain();
    const oneMin = bars.filter((b) => b.value === 1 && b.unit === 2).sort((a, b) => a.time - b.time);
    expect(oneMin.map((b) => [b.open, b.high, b.low, b.close, b.volume])).toEqual([
      [10, 12, 9, 9, 6],
      [11, 11, 11, 11, 4],
    ]);
    const five = bars.find((b) => b.value === 5);
    expect(five && [five.open, five.high, five.low, five.close, five.volume, five.isClosed]).toEqual([10, 12, 9, 11, 10, false]);
  });

  it('closes a bar at bucket end plus grace without another trade, and only then', () => {
    const agg = make(1000);
    agg.addTrade(trade(5_000, 10), T0 + 5_000);
    agg.drain();
    agg.advance(T0 + 60_999);
    expect(agg.drain()).toEqual([]);
    agg.advance(T0 + 61_000);
    const closed = agg.drain();
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({ value: 1, isClosed: true, close: 10 });
  });

  it('counts a trade that arrives within the grace and drops one after it', () => {
    const agg = make(1000);
    agg.addTrade(trade(5_000, 10), T0 + 5_000);
    expect(agg.addTrade(trade(59_000, 13), T0 + 60_500)).toBe('accepted');
    agg.advance(T0 + 61_000);
    expect(agg.addTrade(trade(59_500, 20), T0 + 61_001)).toBe('late');
    const oneMin = agg.drain().find((b) => b.value === 1);
    expect(oneMin).toMatchObject({ high: 13, close: 13, isClosed: true, volume: 2 });
  });

  it('keeps the previous bar open during the grace while the next one forms', () => {
    const agg = make(2000);
    agg.addTrade(trade(59_000, 10), T0 + 59_000);
    agg.addTrade(trade(60_100, 11), T0 + 60_100);
    expect(agg.addTrade(trade(59_900, 9), T0 + 60_200)).toBe('accepted');
    const bars = agg
      .drain()
      .filter((b) => b.value === 1)
      .sort((a, b) => a.time - b.time);
    expect(bars.map((b) => [b.low, b.close])).toEqual([
      [9, 9],
      [11, 11],
    ]);
  });

  it('continues a seeded forming bar instead of starting it again', () => {
    const agg = make();
    agg.seed({ contractId: 'X', unit: 2, value: 1, time: T0, open: 5, high: 8, low: 4, close: 6, volume: 7, isClosed: false });
    agg.addTrade(trade(30_000, 9), T0 + 30_000);
    const bar = agg.drain().find((b) => b.value === 1);
    expect(bar).toMatchObject({ open: 5, high: 9, low: 4, close: 9, volume: 8 });
  });
});

describe('BarAggregator.discardForming', () => {
  it('drops forming bars of the given timeframes but keeps closed ones still to be drained', () => {
    const agg = make(0);
    agg.addTrade(trade(5_000, 10), T0 + 5_000);
    agg.addTrade(trade(65_000, 11), T0 + 65_000); // closes the first 1m bar (grace 0)
    agg.advance(T0 + 65_000);
    agg.discardForming([parseTimeframe('1m'), parseTimeframe('5m')]);
    const out = agg.drain();
    expect(out.map((b) => [b.value, b.time - T0, b.isClosed])).toEqual([[1, 0, true]]);
    expect(agg.formingBars()).toEqual([]);
  });
});

describe('BarAggregator daily labels west of UTC', () => {
  // New York opens in the morning: a daily bar's label (its trade date at 00:00 UTC) is not inside
  // its own session (5 March opens 14:30 UTC), unlike CME's evening open or UTC's midnight.
  const newYork = new SessionCalendar({ name: 'xnys', timezone: 'America/New_York', sessionOpen: '09:30' });
  const day = Date.UTC(2024, 2, 5);
  const at = Date.UTC(2024, 2, 5, 15);
  const make = () => new BarAggregator({ timeframes: ['1d'].map((t) => parseTimeframe(t)), calendarFor: () => newYork, graceMs: 0 });
  const x = (time: number, price: number, volume: number): Trade => ({ contractId: 'X', time, price, volume, side: 'unknown' });

  it('merges history of a trade date into that date’s forming bar', () => {
    const agg = make();
    expect(
      agg.mergeEarlier(
        { contractId: 'X', unit: 4, value: 1, time: day, open: 5, high: 8, low: 4, close: 6, volume: 7, isClosed: false },
        at,
      ),
    ).toBe(true);
    agg.addTrade(x(at, 9, 1), at);
    expect(agg.drain().map((b) => [b.time, b.open, b.high, b.low, b.close, b.volume, b.isClosed])).toEqual([[day, 5, 9, 4, 9, 8, false]]);
  });

  it('continues a seeded forming daily bar in its own trade date', () => {
    const agg = make();
    agg.seed({ contractId: 'X', unit: 4, value: 1, time: day, open: 5, high: 8, low: 4, close: 6, volume: 7, isClosed: false });
    agg.addTrade(x(at, 3, 2), at);
    expect(agg.drain().map((b) => [b.time, b.open, b.high, b.low, b.close, b.volume])).toEqual([[day, 5, 8, 3, 3, 9]]);
  });
});

import type { UTCTimestamp } from 'lightweight-charts';
import { describe, expect, it } from 'vitest';
import { CandleStore, type Candle } from './candle-store.ts';

const t = (s: number) => s as UTCTimestamp;
const candle = (time: number, close: number): Candle => ({ time: t(time), open: close, high: close + 1, low: close - 1, close });

describe('CandleStore', () => {
  it('appends newer bars, replaces the last, and replaces older known bars as historical', () => {
    const store = new CandleStore();
    store.replaceAll([candle(300, 2), candle(0, 1)]);
    expect(store.all().map((c) => c.time)).toEqual([0, 300]);
    expect(store.applyBar(candle(600, 3))).toEqual({ kind: 'update', candle: candle(600, 3), historical: false });
    expect(store.applyBar(candle(600, 4))).toMatchObject({ kind: 'update', historical: false });
    expect(store.applyBar(candle(300, 5))).toMatchObject({ kind: 'update', historical: true });
    expect(store.all()[1]?.close).toBe(5);
  });

  it('asks for a reload when a bar is older than the last and not on the chart', () => {
    const store = new CandleStore();
    store.replaceAll([candle(0, 1), candle(600, 2)]);
    expect(store.applyBar(candle(300, 9))).toEqual({ kind: 'reload' });
    expect(store.count).toBe(2);
  });

  it('moves the forming candle with trades and opens a provisional one for a later bucket', () => {
    const store = new CandleStore();
    store.replaceAll([candle(0, 10)]);
    expect(store.applyTrade(t(0), 20)).toEqual({ time: 0, open: 10, high: 20, low: 9, close: 20 });
    expect(store.applyTrade(t(0), 5)).toEqual({ time: 0, open: 10, high: 20, low: 5, close: 5 });
    expect(store.applyTrade(t(300), 7)).toEqual({ time: 300, open: 7, high: 7, low: 7, close: 7 });
    expect(store.applyTrade(t(0), 100)).toBeUndefined();
    expect(store.count).toBe(2);
  });
});

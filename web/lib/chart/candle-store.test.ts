import type { UTCTimestamp } from 'lightweight-charts';
import { describe, expect, it } from 'vitest';
import { CandleStore, type Candle } from './candle-store.ts';

const t = (s: number) => s as UTCTimestamp;
const candle = (time: number, close: number, volume = 10): Candle => ({
  time: t(time),
  open: close,
  high: close + 1,
  low: close - 1,
  close,
  volume,
});

describe('CandleStore', () => {
  it('appends newer bars and updates the last; an older known bar asks for a repaint, never an update', () => {
    const store = new CandleStore();
    store.replaceAll([candle(300, 2), candle(0, 1)]);
    expect(store.all().map((c) => c.time)).toEqual([0, 300]);
    expect(store.applyBar(candle(600, 3))).toEqual({ kind: 'update', candle: candle(600, 3) });
    expect(store.applyBar(candle(600, 4))).toMatchObject({ kind: 'update' });
    expect(store.applyBar(candle(300, 5))).toEqual({ kind: 'repaint' });
    expect(store.all()[1]?.close).toBe(5);
    expect(store.applyBar(candle(300, 5))).toEqual({ kind: 'none' });
  });

  it('reports a bar older than the last that is not on the chart as missing, leaving the candles alone', () => {
    const store = new CandleStore();
    store.replaceAll([candle(0, 1), candle(600, 2)]);
    expect(store.applyBar(candle(300, 9))).toEqual({ kind: 'missing' });
    expect(store.count).toBe(2);
  });

  it('moves the forming candle with trades and opens a provisional one for a later bucket', () => {
    const store = new CandleStore();
    store.replaceAll([candle(0, 10)]);
    expect(store.applyTrade(t(0), 20, 1)).toEqual({ time: 0, open: 10, high: 20, low: 9, close: 20, volume: 10 });
    expect(store.applyTrade(t(0), 5, 1)).toMatchObject({ high: 20, low: 5, close: 5 });
    expect(store.applyTrade(t(300), 7, 2)).toEqual({ time: 300, open: 7, high: 7, low: 7, close: 7, volume: 2 });
    expect(store.applyTrade(t(300), 8, 3)?.volume).toBe(5);
    expect(store.applyTrade(t(0), 100, 1)).toBeUndefined();
    expect(store.count).toBe(2);
  });

  it('keeps a closed last bar as stored: a late trade in its bucket moves nothing, a later one opens the next', () => {
    // From history: the answer's newest bar is closed (the market paused after it).
    const store = new CandleStore();
    store.replaceAll([candle(0, 10), candle(60, 11)], true);
    expect(store.applyTrade(t(60), 50, 1)).toBeUndefined();
    expect(store.last).toEqual(candle(60, 11));
    expect(store.applyTrade(t(120), 12, 1)).toMatchObject({ time: 120, close: 12 });
    // A forming last bar still moves; once its bar message says closed, it stops.
    const live = new CandleStore();
    live.replaceAll([candle(0, 10)], false);
    expect(live.applyTrade(t(0), 20, 1)).toMatchObject({ close: 20 });
    expect(live.applyBar(candle(0, 21), true)).toMatchObject({ kind: 'update' });
    expect(live.applyTrade(t(0), 99, 1)).toBeUndefined();
    expect(live.last?.close).toBe(21);
    // A correction of that bar back to forming (a repair) lets trades in again.
    live.applyBar(candle(0, 22), false);
    expect(live.applyTrade(t(0), 23, 1)).toMatchObject({ close: 23 });
    // A closed bar message for an older candle leaves the last one's state alone.
    live.applyTrade(t(60), 30, 1);
    live.applyBar(candle(0, 22), true);
    expect(live.applyTrade(t(60), 31, 1)).toMatchObject({ close: 31 });
  });

  it('takes the closedness of a fetched span that reaches the last candle', () => {
    const store = new CandleStore();
    store.replaceAll([candle(0, 10), candle(60, 11)], false);
    store.merge([candle(60, 11), candle(120, 12)], 60, true);
    expect(store.applyTrade(t(120), 40, 1)).toBeUndefined();
    // An older page does not reach the last candle: its closedness stays.
    store.merge([candle(-60, 9)], undefined, false);
    expect(store.applyTrade(t(120), 40, 1)).toBeUndefined();
    store.merge([candle(120, 12)], 120, false);
    expect(store.applyTrade(t(120), 40, 1)).toMatchObject({ close: 40 });
  });

  it('stops adding trade volume once a stored bar gave the candle its volume', () => {
    const store = new CandleStore();
    store.applyTrade(t(60), 10, 4);
    store.applyBar(candle(60, 10, 4));
    // The tick message of the same flush follows its bar message: counting it again would double it.
    expect(store.applyTrade(t(60), 11, 4)?.volume).toBe(4);
  });

  it('knows the stored bars of an ordered answer (indexed when first needed, after the first paint)', () => {
    const store = new CandleStore();
    const answer = [candle(0, 1), candle(60, 2), candle(120, 3, 7)];
    expect(store.replaceAll(answer)).toEqual(answer);
    expect(store.applyBar(candle(60, 5))).toEqual({ kind: 'repaint' });
    expect(store.applyBar(candle(30, 5))).toEqual({ kind: 'missing' });
    // The last candle came from a stored bar: a trade moves its price, not its volume.
    expect(store.applyTrade(t(120), 4, 2)).toMatchObject({ close: 4, volume: 7 });
    expect(store.all().map((c) => c.close)).toEqual([1, 5, 4]);
  });

  it('merges a fetched span and reports where the chart changed', () => {
    const store = new CandleStore();
    store.replaceAll([candle(0, 1), candle(60, 2)]);
    store.applyTrade(t(300), 9, 1); // provisional, never stored
    store.applyTrade(t(360), 9, 1);
    expect(store.merge([candle(60, 2), candle(120, 3), candle(180, 4), candle(300, 5)], 60)).toBe(120);
    expect(store.all().map((c) => [c.time, c.close])).toEqual([
      [0, 1],
      [60, 2],
      [120, 3],
      [180, 4],
      [300, 5],
      [360, 9],
    ]);
    expect(store.merge([candle(120, 3)], 120)).toBeUndefined();
    expect(store.applyBar(candle(180, 4))).toEqual({ kind: 'none' });
  });
});

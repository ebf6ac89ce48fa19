import fc from 'fast-check';
import type { UTCTimestamp } from 'lightweight-charts';
import { describe, expect, it } from 'vitest';
import { type Candle, indexAtOrAfter, mergeCandles } from './candle-merge.ts';

const candle = (time: number, close = time): Candle => ({
  time: time as UTCTimestamp,
  open: close,
  high: close,
  low: close,
  close,
  volume: 1,
});
const times = (cs: readonly Candle[]) => cs.map((c) => c.time);

describe('mergeCandles', () => {
  it('fills a gap without duplicates and keeps the forming candle that arrived meanwhile', () => {
    const existing = [candle(0), candle(60), candle(300)]; // 120..240 missed while offline
    const fetched = [candle(60), candle(120), candle(180), candle(240)];
    const { candles, changedFrom } = mergeCandles(existing, fetched, 60);
    expect(times(candles)).toEqual([0, 60, 120, 180, 240, 300]);
    expect(changedFrom).toBe(120);
  });

  it('prepends an older page that overlaps the oldest loaded bar', () => {
    const existing = [candle(600), candle(660)];
    const { candles, changedFrom } = mergeCandles(existing, [candle(480), candle(540), candle(600)]);
    expect(times(candles)).toEqual([480, 540, 600, 660]);
    expect(changedFrom).toBe(480);
  });

  it('drops provisional candles inside the covered span that were never stored, and replaces changed ones', () => {
    const existing = [candle(0), candle(60, 5), candle(90), candle(120)];
    const { candles, changedFrom } = mergeCandles(existing, [candle(60, 6), candle(120)], 0);
    expect(candles.map((c) => [c.time, c.close])).toEqual([
      [60, 6],
      [120, 120],
    ]);
    expect(changedFrom).toBe(0);
  });

  it('returns the same array when nothing changed', () => {
    const existing = [candle(0), candle(60)];
    expect(mergeCandles(existing, [candle(60)], 60)).toEqual({ candles: existing, changedFrom: undefined });
    expect(mergeCandles(existing, [])).toEqual({ candles: existing, changedFrom: undefined });
  });

  it('always yields ascending unique times holding every fetched candle and every existing one outside the span', () => {
    const sortedTimes = fc.uniqueArray(fc.integer({ min: 0, max: 200 }), { maxLength: 60 }).map((a) => a.sort((x, y) => x - y));
    fc.assert(
      fc.property(sortedTimes, sortedTimes, fc.integer({ min: 0, max: 200 }), (e, f, cover) => {
        const existing = e.map((x) => candle(x * 60));
        const fetched = f.map((x) => candle(x * 60, x + 0.5));
        const coverFrom = cover * 60;
        const { candles } = mergeCandles(existing, fetched, coverFrom);
        const ts = times(candles);
        for (let k = 1; k < ts.length; k++) expect(ts[k]).toBeGreaterThan(ts[k - 1] as number);
        for (const c of fetched) expect(candles).toContainEqual(c);
        if (fetched.length > 0) {
          const lo = Math.min(coverFrom, fetched[0]!.time);
          const hi = fetched[fetched.length - 1]!.time;
          for (const c of existing) if (c.time < lo || c.time > hi) expect(candles).toContainEqual(c);
          for (const c of candles) if (c.time >= lo && c.time <= hi) expect(fetched).toContainEqual(c);
        }
      }),
    );
  });
});

describe('indexAtOrAfter', () => {
  it('finds the candle at a time or the next one', () => {
    const cs = [candle(0), candle(60), candle(120)];
    expect(indexAtOrAfter(cs, 60)).toBe(1);
    expect(indexAtOrAfter(cs, 61)).toBe(2);
    expect(indexAtOrAfter(cs, -5)).toBe(0);
    expect(indexAtOrAfter(cs, 500)).toBe(3);
  });
});

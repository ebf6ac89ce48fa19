import { describe, expect, it } from 'vitest';
import { CachedSeries, firstAtOrAfter } from './cached-series.ts';
import type { StoredBar } from './stored-bars.ts';

const bar = (time: number, close = time): StoredBar => ({ time, open: 1, high: 1, low: 1, close, volume: 1, isClosed: true });
const times = (bars: readonly StoredBar[] | undefined) => bars?.map((b) => b.time);

function held(from: number, to: number, coveredFrom = from): CachedSeries {
  const s = new CachedSeries();
  s.bars = Array.from({ length: to - from + 1 }, (_, i) => bar(from + i));
  s.coveredFrom = coveredFrom;
  s.synced = 0;
  return s;
}

describe('CachedSeries', () => {
  it('answers the newest bars in a range it holds', () => {
    const s = held(10, 20);
    expect(times(s.newest(-Infinity, Infinity, 3))).toEqual([18, 19, 20]);
    expect(times(s.newest(12, 14, 10))).toEqual([12, 13, 14]);
    expect(times(s.newest(12, 14, 2))).toEqual([13, 14]);
    expect(times(s.newest(21, 30, 5))).toEqual([]);
  });

  it('cannot tell about a range reaching before what it holds unless it has limit bars', () => {
    const s = held(10, 20);
    expect(s.newest(0, 9, 5)).toBeUndefined(); // wholly older
    expect(s.newest(0, 12, 5)).toBeUndefined(); // 10..12 held, 0..9 unknown
    expect(times(s.newest(0, 15, 5))).toEqual([11, 12, 13, 14, 15]);
    expect(times(held(10, 20, -Infinity).newest(0, 12, 5))).toEqual([10, 11, 12]); // the whole series
  });

  it('replaces the held bars from a time on and trims the oldest beyond a bound', () => {
    const s = held(10, 20);
    s.replaceFrom(19, [bar(19, 190), bar(20, 200), bar(21, 210)]);
    expect(s.bars.map((b) => b.close)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 190, 200, 210]);
    s.trimTo(4);
    expect(times(s.bars)).toEqual([18, 19, 20, 21]);
    expect(s.coveredFrom).toBe(18);
  });

  it('counts notifications in its range and ignores older bars', () => {
    const s = held(10, 20);
    s.noteBar(5);
    expect(s.seen).toBe(0);
    s.noteBar(20);
    s.noteBar(15);
    expect([s.seen, s.dirtyFrom]).toEqual([2, 15]);
  });

  it('finds the first bar at or after a time', () => {
    const bars = [bar(1), bar(3), bar(5)];
    expect([0, 1, 2, 3, 5, 6].map((t) => firstAtOrAfter(bars, t))).toEqual([0, 0, 1, 1, 2, 3]);
  });
});

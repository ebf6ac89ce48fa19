import { describe, expect, it } from 'vitest';
import { RecentBars } from './recent-bars.ts';

const bar = (time: number, close = 10) => ({ time, open: 10, high: 12, low: 9, close, volume: 5 });

describe('RecentBars', () => {
  it('matches a bar fed with the same values and not a corrected one', () => {
    const recent = new RecentBars(4);
    for (let t = 1; t <= 3; t++) recent.add(bar(t * 60_000));
    expect(recent.matches(bar(120_000))).toBe(true);
    expect(recent.matches(bar(120_000, 11))).toBe(false);
    expect(recent.matches({ ...bar(120_000), volume: 6 })).toBe(false);
    expect(recent.matches(bar(240_000))).toBe(false);
  });

  it('forgets the oldest bars past its capacity, across the ring wrap', () => {
    const recent = new RecentBars(3);
    for (let t = 1; t <= 10; t++) recent.add(bar(t, t));
    expect([1, 7].map((t) => recent.matches(bar(t, t)))).toEqual([false, false]);
    expect([8, 9, 10].map((t) => recent.matches(bar(t, t)))).toEqual([true, true, true]);
  });

  it('is empty after clear', () => {
    const recent = new RecentBars(3);
    recent.add(bar(1));
    recent.clear();
    expect(recent.matches(bar(1))).toBe(false);
    recent.add(bar(2));
    expect(recent.matches(bar(2))).toBe(true);
  });
});

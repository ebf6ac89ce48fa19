import type { UTCTimestamp } from 'lightweight-charts';
import { describe, expect, it } from 'vitest';
import type { Candle } from './candle-merge.ts';
import { preservedRange, wantsOlderBars } from './visible-range.ts';

const candles = (...times: number[]): Candle[] =>
  times.map((time) => ({ time: time as UTCTimestamp, open: 1, high: 1, low: 1, close: 1, volume: 0 }));

describe('preservedRange', () => {
  it('shifts the view by the bars prepended before it', () => {
    const before = candles(600, 660, 720, 780, 840);
    const after = candles(300, 360, 420, 480, 540, 600, 660, 720, 780, 840);
    expect(preservedRange(before, after, { from: 1.5, to: 3 })).toEqual({ from: 6.5, to: 8 });
  });

  it('counts only the bars inserted before the view, not a gap filled after it', () => {
    const before = candles(0, 60, 120, 300, 360, 420);
    const after = candles(0, 60, 120, 180, 240, 300, 360, 420);
    expect(preservedRange(before, after, { from: 0, to: 2 })).toEqual({ from: 0, to: 2 });
  });

  it('lets a view at the live edge keep following it', () => {
    const before = candles(0, 60, 120);
    expect(preservedRange(before, candles(0, 60, 120, 180), { from: 0, to: 2.4 })).toBeNull();
    expect(preservedRange(before, before, null)).toBeNull();
  });
});

describe('wantsOlderBars', () => {
  it('asks for more only near the left edge of a non-empty chart', () => {
    expect(wantsOlderBars({ from: 10, to: 100 }, 500)).toBe(true);
    expect(wantsOlderBars({ from: -40, to: 100 }, 500)).toBe(true);
    expect(wantsOlderBars({ from: 200, to: 300 }, 500)).toBe(false);
    expect(wantsOlderBars({ from: 0, to: 1 }, 0)).toBe(false);
    expect(wantsOlderBars(null, 500)).toBe(false);
  });
});

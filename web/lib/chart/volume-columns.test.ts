import { describe, expect, it } from 'vitest';
import type { UTCTimestamp } from 'lightweight-charts';
import type { Candle } from './candle-merge.ts';
import { volumeColumns } from './volume-columns.ts';

const candle = (time: number, open: number, close: number, volume: number): Candle => ({
  time: time as UTCTimestamp,
  open,
  high: Math.max(open, close),
  low: Math.min(open, close),
  close,
  volume,
});

const candles = [candle(60, 10, 11, 50), candle(120, 11, 10, 200), candle(180, 10, 10, 100), candle(240, 10, 12, 400)];

describe('volumeColumns', () => {
  it('scales the columns in view to the largest volume among them, not among all candles', () => {
    expect(volumeColumns(candles, 60, 180)).toEqual([
      { time: 60, share: 0.25, up: true },
      { time: 120, share: 1, up: false },
      { time: 180, share: 0.5, up: true },
    ]);
  });

  it('takes only the candles whose times lie in the range, ends included', () => {
    expect(volumeColumns(candles, 100, 240).map((c) => c.time)).toEqual([120, 180, 240]);
    expect(volumeColumns(candles, 241, 300)).toEqual([]);
  });

  it('draws nothing tall when every volume in view is zero', () => {
    expect(volumeColumns([candle(60, 1, 2, 0), candle(120, 2, 1, 0)], 0, 200).map((c) => c.share)).toEqual([0, 0]);
  });
});

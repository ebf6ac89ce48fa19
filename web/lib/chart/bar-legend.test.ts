import type { UTCTimestamp } from 'lightweight-charts';
import { describe, expect, it } from 'vitest';
import { barLegend, formatVolume } from './bar-legend.ts';
import type { Candle } from './candle-merge.ts';

const candle = (time: number, open: number, high: number, low: number, close: number, volume = 10): Candle => ({
  time: time as UTCTimestamp,
  open,
  high,
  low,
  close,
  volume,
});

const candles = [
  candle(60, 100, 101, 99, 100.5),
  candle(120, 100.5, 102, 100, 101.75, 1234),
  candle(180, 101.75, 102, 100.25, 100.5, 25_000),
];

describe('barLegend', () => {
  it('shows the newest bar when nothing is under the cursor, with its change from the previous close', () => {
    expect(barLegend(candles, undefined, 0.25)).toEqual({
      time: 180,
      latest: true,
      open: '101.75',
      high: '102.00',
      low: '100.25',
      close: '100.50',
      volume: '25.0K',
      change: '−1.25 (−1.23%)',
      direction: 'down',
      lines: [],
    });
  });

  it('follows the bar under the cursor', () => {
    const legend = barLegend(candles, 120, 0.25);
    expect(legend).toMatchObject({ time: 120, latest: false, close: '101.75', change: '+1.25 (+1.24%)', direction: 'up', volume: '1234' });
  });

  it('measures the first bar against its own open, and a time between bars shows the newest bar', () => {
    expect(barLegend(candles, 60, 0.25)).toMatchObject({ change: '+0.50 (+0.50%)', direction: 'up' });
    expect(barLegend(candles, 90, 0.25)?.time).toBe(180);
    expect(barLegend([candle(60, 5, 5, 5, 5)], undefined, 0.25)).toMatchObject({ change: '±0.00 (±0.00%)', direction: 'flat' });
  });

  it('names each overlay value at the bar, a dash while it warms up', () => {
    const values: Record<string, number> = { 'ema_20@120': 101.1234 };
    const legend = barLegend(candles, 120, 0.25, ['ema_20', 'ema_50'], (name, t) => values[`${name}@${t}`]);
    expect(legend?.lines).toEqual([
      { name: 'ema_20', value: '101.12' },
      { name: 'ema_50', value: '—' },
    ]);
  });

  it('is null for an empty chart', () => {
    expect(barLegend([], undefined, 0.25)).toBeNull();
  });
});

describe('formatVolume', () => {
  it('abbreviates large volumes', () => {
    expect([950, 12_345, 4_560_000, 2.5e9, 1.5].map(formatVolume)).toEqual(['950', '12.3K', '4.56M', '2.50B', '1.50']);
  });
});

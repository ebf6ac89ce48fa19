import { computeIndicatorSeries, DEFAULT_INDICATOR_NAMES, getIndicatorDefinition, type OhlcBar } from '@barstream/core';
import { describe, expect, it } from 'vitest';
import { computeOverWindow, decayBars, exactWarmupBars, warmupForNames } from './indicator-window.ts';

/** A seeded random walk with realistic spreads, so every indicator sees gains, losses and ranges. */
function walk(n: number, seed = 7): OhlcBar[] {
  let s = seed;
  const rand = (): number => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const bars: OhlcBar[] = [];
  let price = 5000;
  for (let i = 0; i < n; i++) {
    const open = price;
    price = Math.max(1, price + (rand() - 0.5) * 8);
    const high = Math.max(open, price) + rand() * 3;
    const low = Math.min(open, price) - rand() * 3;
    bars.push({ time: i * 60_000, open, high, low, close: price, volume: 1 + Math.floor(rand() * 100) });
  }
  return bars;
}

function maxRelativeError(a: readonly unknown[], b: readonly unknown[]): number {
  let worst = 0;
  const flat = (v: unknown): number[] => (typeof v === 'number' ? [v] : Object.values(v as Record<string, number>));
  a.forEach((v, i) => {
    const x = flat(v);
    const y = flat(b[i]);
    x.forEach((xv, j) => {
      worst = Math.max(worst, Math.abs(xv - (y[j] ?? NaN)) / Math.max(1, Math.abs(xv)));
    });
  });
  return worst;
}

describe('exact indicator warm-up windows', () => {
  const bars = walk(8_000);
  const RANGE = 500;

  it.each([...DEFAULT_INDICATOR_NAMES, 'ema_200', 'rsi_2', 'macd_5_35_5'])('%s over its window equals the full-history values', (name) => {
    const full = computeIndicatorSeries(name, bars)
      .slice(-RANGE)
      .map((p) => p.value);
    const warmup = exactWarmupBars(getIndicatorDefinition(name));
    const windowed = computeOverWindow(name, bars.slice(-(RANGE + warmup)), RANGE);
    expect(windowed.map((p) => p.time)).toEqual(bars.slice(-RANGE).map((b) => b.time));
    expect(
      maxRelativeError(
        full,
        windowed.map((p) => p.value),
      ),
    ).toBeLessThan(1e-12);
  });

  it('a window of only warmupBars is not enough for smoothed indicators (the check can fail)', () => {
    const name = 'ema_50';
    const full = computeIndicatorSeries(name, bars)
      .slice(-RANGE)
      .map((p) => p.value);
    const short = computeOverWindow(name, bars.slice(-(RANGE + getIndicatorDefinition(name).warmupBars)), RANGE);
    expect(
      maxRelativeError(
        full,
        short.map((p) => p.value),
      ),
    ).toBeGreaterThan(1e-9);
  });

  it('sizes windows from the smoothing factor', () => {
    expect(decayBars(2 / 21)).toBe(Math.ceil(Math.log(2 ** -53) / Math.log(19 / 21)));
    expect(exactWarmupBars(getIndicatorDefinition('sma_20'))).toBe(20);
    expect(warmupForNames(['sma_20', 'ema_50'])).toBe(exactWarmupBars(getIndicatorDefinition('ema_50')));
    expect(warmupForNames([])).toBe(0);
  });

  it('marks warm-up points with a null value', () => {
    const points = computeOverWindow('ema_20', bars.slice(0, 30), 30);
    expect(points[18]?.value).toBeNull();
    expect(typeof points[19]?.value).toBe('number');
  });
});

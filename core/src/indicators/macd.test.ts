// MACD tests: TA-Lib fast-EMA alignment, warm-up index and hand-computed values for macd.ts.
import { describe, expect, it } from 'vitest';
import { Macd, macdSeries } from './macd.ts';
import { emaSeries } from './ema.ts';
import { barsFromCloses, streamAll } from './test-bars.ts';

function syntheticCloses(n: number): number[] {
  return Array.from({ length: n }, (_, i) => 100 + 10 * Math.sin(i / 5) + i * 0.1 + ((i * 7919) % 13) / 10);
}

describe('MACD', () => {
  it('MACD(12, 26, 9): undefined through index 32, first full value at index 33', () => {
    const out = streamAll(new Macd(12, 26, 9), barsFromCloses(syntheticCloses(40)));
    expect(out.findIndex((v) => v !== undefined)).toBe(33);
    expect(out.slice(33).every((v) => v !== undefined)).toBe(true);
    expect(new Macd(12, 26, 9).warmupBars).toBe(34);
    const batch = macdSeries(syntheticCloses(40), 12, 26, 9);
    expect(batch.macd[32]).toBeNaN();
    expect(batch.signal[33]).not.toBeNaN();
  });

  it('hand example MACD(2, 3, 2) of [1, 3, 2, 6, 4] uses TA-Lib alignment', () => {
    // fast k = 2/3, slow k = 1/2, signal k = 2/3. Both EMAs start at index 2 (= slow - 1):
    //   slow seed = (1+3+2)/3 = 2; fast seed = (3+2)/2 = 2.5 (last 2 closes, NOT seeded at index 1)
    //   macd2 = 0.5
    // idx3 (6): slow = 4; fast = 2.5 + 3.5*2/3 = 29/6; macd3 = 5/6; signal seed = (1/2 + 5/6)/2 = 2/3
    //   histogram = 1/6
    // idx4 (4): slow = 4; fast = 29/6 - (5/6)(2/3) = 77/18; macd4 = 5/18;
    //   signal = 2/3 + (5/18 - 2/3)(2/3) = 11/27; histogram = 5/18 - 11/27 = -7/54
    const out = streamAll(new Macd(2, 3, 2), barsFromCloses([1, 3, 2, 6, 4]));
    expect(out.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    expect(out[3]!.macd).toBeCloseTo(5 / 6, 14);
    expect(out[3]!.signal).toBeCloseTo(2 / 3, 14);
    expect(out[3]!.histogram).toBeCloseTo(1 / 6, 14);
    expect(out[4]!.macd).toBeCloseTo(5 / 18, 14);
    expect(out[4]!.signal).toBeCloseTo(11 / 27, 14);
    expect(out[4]!.histogram).toBeCloseTo(-7 / 54, 14);
  });

  it('equals TA-Lib construction from plain EMAs: fast EMA seeded on closes[14..25], signal = EMA(9) of the line', () => {
    const closes = syntheticCloses(300);
    const slow = emaSeries(closes, 26); // seeded on closes[0..25], first value at 25
    const fast = emaSeries(closes.slice(26 - 12), 12); // seeded on closes[14..25], first value at 25
    const line = Array.from({ length: closes.length - 25 }, (_, j) => fast[j + 11]! - slow[j + 25]!);
    const signal = emaSeries(line, 9);
    const out = macdSeries(closes, 12, 26, 9);
    for (let i = 33; i < closes.length; i++) {
      expect(out.macd[i]).toBe(line[i - 25]);
      expect(out.signal[i]).toBe(signal[i - 25]);
      expect(out.histogram[i]).toBe(line[i - 25]! - signal[i - 25]!);
    }
    // ...and differs from a fast EMA seeded at index 11 (the common non-TA-Lib convention).
    const naiveFast = emaSeries(closes, 12);
    expect(naiveFast[33]! - slow[33]!).not.toBe(out.macd[33]);
  });

  it('rejects fast >= slow and periods out of range', () => {
    expect(() => new Macd(26, 12, 9)).toThrow(expect.objectContaining({ code: 'INVALID_PARAMS' }));
    expect(() => new Macd(12, 12, 9)).toThrow(expect.objectContaining({ code: 'INVALID_PARAMS' }));
    expect(() => new Macd(1, 26, 9)).toThrow(expect.objectContaining({ code: 'INVALID_PARAMS' }));
    expect(() => new Macd(12, 26, 0)).toThrow(expect.objectContaining({ code: 'INVALID_PARAMS' }));
  });
});

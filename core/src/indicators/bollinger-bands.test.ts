// Bollinger Bands tests: hand-computed bands (population deviation) and numerical robustness for bollinger-bands.ts.
import { describe, expect, it } from 'vitest';
import { BollingerBands, bollingerSeries } from './bollinger-bands.ts';
import { barsFromCloses, streamAll } from './test-bars.ts';

describe('Bollinger Bands', () => {
  it('BB(8, 2) of the textbook set 2,4,4,4,5,5,7,9: mean 5, population sd 2 -> 9 / 5 / 1', () => {
    // deviations -3,-1,-1,-1,0,0,2,4; squares sum to 32; 32/8 = 4; sqrt = 2.
    // (The sample sd would be sqrt(32/7) = 2.138 and give an upper band of 9.28.)
    const out = streamAll(new BollingerBands(8, 2), barsFromCloses([2, 4, 4, 4, 5, 5, 7, 9]));
    expect(out.slice(0, 7).every((v) => v === undefined)).toBe(true);
    expect(out[7]).toEqual({ middle: 5, upper: 9, lower: 1 });
  });

  it('BB(3, 2) of [1, 2, 3, 4, 6]', () => {
    const out = bollingerSeries([1, 2, 3, 4, 6], 3, 2);
    expect(out.middle[1]).toBeNaN();
    // [1,2,3]: mean 2, var (1+0+1)/3 = 2/3
    expect(out.middle[2]).toBe(2);
    expect(out.upper[2]).toBeCloseTo(2 + 2 * Math.sqrt(2 / 3), 14);
    expect(out.lower[2]).toBeCloseTo(2 - 2 * Math.sqrt(2 / 3), 14);
    // [2,3,4]: same spread around 3
    expect(out.upper[3]).toBeCloseTo(3 + 2 * Math.sqrt(2 / 3), 14);
    // [3,4,6]: mean 13/3, deviations -4/3, -1/3, 5/3 -> var (16+1+25)/27 = 14/9 -> sd sqrt(14)/3
    expect(out.middle[4]).toBeCloseTo(13 / 3, 14);
    expect(out.upper[4]).toBeCloseTo((13 + 2 * Math.sqrt(14)) / 3, 13);
    expect(out.lower[4]).toBeCloseTo((13 - 2 * Math.sqrt(14)) / 3, 13);
  });

  it('BB(4, 1) of an alternating 1,3 series has sd exactly 1', () => {
    const out = streamAll(new BollingerBands(4, 1), barsFromCloses([1, 3, 1, 3, 1, 3]));
    expect(out.slice(3)).toEqual([
      { middle: 2, upper: 3, lower: 1 },
      { middle: 2, upper: 3, lower: 1 },
      { middle: 2, upper: 3, lower: 1 },
    ]);
  });

  it('a flat window at a high price level has (near) zero width even after a volatile stretch', () => {
    // TA-Lib's E[x^2] - mean^2 variance leaves ~1e-3 of noise here; the two-pass variance does not.
    const closes: number[] = [];
    for (let i = 0; i < 500; i++) closes.push(65_000 + Math.round(Math.sin(i) * 50_000) / 100);
    for (let i = 0; i < 20; i++) closes.push(65_432.17);
    const out = bollingerSeries(closes, 20, 2);
    const last = closes.length - 1;
    expect(out.middle[last]).toBeCloseTo(65_432.17, 8);
    expect(out.upper[last]! - out.lower[last]!).toBeLessThan(1e-9);
    expect(out.upper[last]! >= out.lower[last]!).toBe(true);
  });

  it('rejects a non-positive multiplier', () => {
    expect(() => new BollingerBands(20, 0)).toThrow(expect.objectContaining({ code: 'INVALID_PARAMS' }));
    expect(() => new BollingerBands(20, Number.NaN)).toThrow(expect.objectContaining({ code: 'INVALID_PARAMS' }));
  });
});

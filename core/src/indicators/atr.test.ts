// ATR tests: hand-computed true ranges and Wilder smoothing for atr.ts.
import { describe, expect, it } from 'vitest';
import { Atr, atrSeries } from './atr.ts';
import { barsFromHlc, streamAll } from './test-bars.ts';

// [high, low, close]
const ROWS = [
  [10, 8, 9], // bar 0: no previous close -> no TR (its high-low of 2 must NOT be used)
  [11, 9, 10], // TR = max(11-9, |9-11|, |9-9|) = 2
  [13, 12, 12.5], // TR = max(1, |10-13| = 3, |10-12| = 2) = 3    (gap up)
  [12, 9, 10], // TR = max(3, |12.5-12| = 0.5, |12.5-9| = 3.5) = 3.5
  [11, 10.5, 11], // TR = max(0.5, |10-11| = 1, |10-10.5| = 0.5) = 1
  [11.5, 11, 11], // TR = max(0.5, 0.5, 0) = 0.5
] as const;

describe('ATR (Wilder)', () => {
  it('ATR(3): first value at index 3 = mean(TR1..TR3), then (prev * 2 + TR) / 3', () => {
    const out = streamAll(new Atr(3), barsFromHlc(ROWS));
    expect(out.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    const first = (2 + 3 + 3.5) / 3; // 2.8333...
    expect(out[3]).toBeCloseTo(first, 14);
    const second = (first * 2 + 1) / 3; // 20/9 = 2.2222...
    expect(out[4]).toBeCloseTo(20 / 9, 14);
    expect(out[5]).toBeCloseTo((second * 2 + 0.5) / 3, 14); // 89/54 = 1.6481...
    expect(out[5]).toBeCloseTo(89 / 54, 14);
  });

  it('batch kernel gives the same numbers', () => {
    const out = atrSeries(
      ROWS.map((r) => r[0]),
      ROWS.map((r) => r[1]),
      ROWS.map((r) => r[2]),
      3,
    );
    expect(out[2]).toBeNaN();
    expect(out[3]).toBeCloseTo(8.5 / 3, 14);
    expect(out[4]).toBeCloseTo(20 / 9, 14);
  });

  it('ATR(1) is the true range itself', () => {
    expect(streamAll(new Atr(1), barsFromHlc(ROWS))).toEqual([undefined, 2, 3, 3.5, 1, 0.5]);
  });

  it('rejects high < low', () => {
    const atr = new Atr(3);
    expect(() => atr.update(barsFromHlc([[9, 10, 9.5]])[0]!)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => atrSeries([9], [10], [9.5], 3)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

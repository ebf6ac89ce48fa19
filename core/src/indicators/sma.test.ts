// SMA tests: hand-computed values and parameter checks for sma.ts.
import { describe, expect, it } from 'vitest';
import { Sma, smaSeries } from './sma.ts';
import { barsFromCloses, streamAll } from './test-bars.ts';

const ONE_TO_TEN = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

describe('SMA', () => {
  it('SMA(3) of 1..10 is the middle value of each window, first at index 2', () => {
    // (1+2+3)/3 = 2, (2+3+4)/3 = 3, ... (8+9+10)/3 = 9 — all exact in binary.
    const expected = [undefined, undefined, 2, 3, 4, 5, 6, 7, 8, 9];
    expect(streamAll(new Sma(3), barsFromCloses(ONE_TO_TEN))).toEqual(expected);
    expect(Array.from(smaSeries(ONE_TO_TEN, 3), (v) => (Number.isNaN(v) ? undefined : v))).toEqual(expected);
  });

  it('SMA(4) of an uneven series', () => {
    // windows: [2,4,6,20] = 8, [4,6,20,10] = 10, [6,20,10,0] = 9
    expect(streamAll(new Sma(4), barsFromCloses([2, 4, 6, 20, 10, 0]))).toEqual([undefined, undefined, undefined, 8, 10, 9]);
  });

  it('preview shows the would-be value without committing it', () => {
    const sma = new Sma(3);
    const bars = barsFromCloses([1, 2, 3, 100]);
    sma.update(bars[0]!);
    expect(sma.preview(bars[1]!)).toBeUndefined();
    sma.update(bars[1]!);
    expect(sma.preview(bars[2]!)).toBe(2);
    expect(sma.preview({ ...bars[2]!, close: 30 })).toBe(11);
    expect(sma.isReady).toBe(false);
    expect(sma.value).toBeUndefined();
    expect(sma.update(bars[2]!)).toBe(2);
    expect(sma.value).toBe(2);
  });

  it('rejects periods below 2 or non-integers', () => {
    expect(() => new Sma(1)).toThrow(expect.objectContaining({ code: 'INVALID_PARAMS' }));
    expect(() => new Sma(2.5)).toThrow(expect.objectContaining({ code: 'INVALID_PARAMS' }));
    expect(() => smaSeries([1, 2], 0)).toThrow(expect.objectContaining({ code: 'INVALID_PARAMS' }));
  });

  it('batch rejects non-finite values', () => {
    expect(() => smaSeries([1, Number.NaN, 3], 2)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

// EMA tests: hand-computed values (SMA seed, k = 2/(n+1)) for ema.ts.
import { describe, expect, it } from 'vitest';
import { Ema, emaSeries } from './ema.ts';
import { barsFromCloses, streamAll } from './test-bars.ts';

const nanToUndefined = (a: Float64Array): (number | undefined)[] => Array.from(a, (v) => (Number.isNaN(v) ? undefined : v));

describe('EMA', () => {
  it('EMA(3) of 1..10: seed SMA(1,2,3) = 2 at index 2, then (x - ema) * 0.5 + ema', () => {
    // k = 2/4 = 0.5. idx3: (4-2)*0.5+2 = 3; idx4: (5-3)*0.5+3 = 4; ... a linear series lags by 1.
    const expected = [undefined, undefined, 2, 3, 4, 5, 6, 7, 8, 9];
    const closes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(streamAll(new Ema(3), barsFromCloses(closes))).toEqual(expected);
    expect(nanToUndefined(emaSeries(closes, 3))).toEqual(expected);
  });

  it('EMA(3) reacts to a spike: [1, 2, 3, 10, 4]', () => {
    // seed (1+2+3)/3 = 2; idx3: (10-2)*0.5+2 = 6; idx4: (4-6)*0.5+6 = 5
    expect(nanToUndefined(emaSeries([1, 2, 3, 10, 4], 3))).toEqual([undefined, undefined, 2, 6, 5]);
  });

  it('EMA(4) with k = 0.4', () => {
    // seed (2+4+6+8)/4 = 5; idx4: (10-5)*0.4+5 = 7; idx5: (2-7)*0.4+7 = 5
    const out = nanToUndefined(emaSeries([2, 4, 6, 8, 10, 2], 4));
    expect(out.slice(0, 4)).toEqual([undefined, undefined, undefined, 5]);
    expect(out[4]).toBeCloseTo(7, 14);
    expect(out[5]).toBeCloseTo(5, 14);
  });

  it('is seeded with the SMA, not with the first value', () => {
    // First-value seeding would give 10 -> 15 -> 22.5 -> 31.25; TA-Lib gives 20 at idx2, 30 at idx3.
    expect(nanToUndefined(emaSeries([10, 20, 30, 40], 3))).toEqual([undefined, undefined, 20, 30]);
  });

  it('rejects a period of 1', () => {
    expect(() => new Ema(1)).toThrow(expect.objectContaining({ code: 'INVALID_PARAMS' }));
  });
});

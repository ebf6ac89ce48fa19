import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { barProblem, isStorableBar } from './bar-rules.ts';

describe('isStorableBar', () => {
  it('accepts exactly the bars barProblem finds nothing wrong with', () => {
    const value = fc.oneof(fc.constantFrom(0, -0, -1, 1, 2, 0.5, NaN, Infinity, -Infinity, 1.5, 1e300), fc.double());
    const time = fc.oneof(fc.constantFrom(0, 1.5, NaN, Infinity, 2 ** 53, 1_735_689_600_000), fc.integer(), fc.double());
    fc.assert(
      fc.property(time, value, value, value, value, value, (t, open, high, low, close, volume) => {
        const bar = { time: t, open, high, low, close, volume };
        expect(isStorableBar(t, open, high, low, close, volume)).toBe(barProblem(bar) === undefined);
      }),
      { numRuns: 20_000 },
    );
  });
});

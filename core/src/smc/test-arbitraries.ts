// fast-check generators for the SMC property tests: tie-heavy random series on an integer tick grid (equal
// highs, doji bars, one-bar swings: the cases real data rarely reaches) and every parameter combination.
import fc from 'fast-check';
import type { OhlcBar } from '../bar.ts';

export interface BarStep {
  readonly move: number;
  readonly wickUp: number;
  readonly wickDown: number;
  readonly volume: number;
}

/** Steps of a random walk, `minLength`…`maxLength` bars. */
export function barSteps(minLength: number, maxLength: number): fc.Arbitrary<BarStep[]> {
  return fc.array(
    fc.record({
      move: fc.integer({ min: -4, max: 4 }),
      wickUp: fc.integer({ min: 0, max: 3 }),
      wickDown: fc.integer({ min: 0, max: 3 }),
      volume: fc.integer({ min: 0, max: 5 }),
    }),
    { minLength, maxLength, size: 'max' },
  );
}

export const smcParamCombinations = fc.record({
  swing_length: fc.constantFrom(1, 2, 3, 5),
  close_break: fc.boolean(),
  join_consecutive: fc.boolean(),
  close_mitigation: fc.boolean(),
  range_percent: fc.constantFrom(0, 0.01, 0.05),
});

/** The walk as bars at times 0, 1, 2, … starting at price 1000. */
export function stepsToBars(steps: readonly BarStep[]): OhlcBar[] {
  let price = 1000;
  return steps.map((s, i) => {
    const open = price;
    const close = open + s.move;
    price = close;
    return { time: i, open, high: Math.max(open, close) + s.wickUp, low: Math.min(open, close) - s.wickDown, close, volume: s.volume };
  });
}

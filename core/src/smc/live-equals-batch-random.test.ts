// Live == batch at every bar on random tie-heavy series (integer ticks, short swings, every parameter
// combination): the cases that real data rarely reaches — equal highs, doji bars, one-bar swings.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { replay } from '../../../tests/support/smc-replay.ts';
import type { OhlcBar } from '../bar.ts';
import { smcParams } from './smc-params.ts';

const barSteps = fc.array(
  fc.record({
    move: fc.integer({ min: -4, max: 4 }),
    wickUp: fc.integer({ min: 0, max: 3 }),
    wickDown: fc.integer({ min: 0, max: 3 }),
    volume: fc.integer({ min: 0, max: 5 }),
  }),
  { minLength: 1, maxLength: 200, size: 'max' },
);

const params = fc.record({
  swing_length: fc.constantFrom(1, 2, 3, 5),
  close_break: fc.boolean(),
  join_consecutive: fc.boolean(),
  close_mitigation: fc.boolean(),
  range_percent: fc.constantFrom(0, 0.01, 0.05),
});

function toBars(steps: { move: number; wickUp: number; wickDown: number; volume: number }[]): OhlcBar[] {
  let price = 1000;
  return steps.map((s, i) => {
    const open = price;
    const close = open + s.move;
    price = close;
    return { time: i, open, high: Math.max(open, close) + s.wickUp, low: Math.min(open, close) - s.wickDown, close, volume: s.volume };
  });
}

describe('SMC live engine equals the batch on random series', () => {
  it('at every bar, with confirmed rows never changing', () => {
    fc.assert(
      fc.property(barSteps, params, (steps, p) => {
        const report = replay(toBars(steps), smcParams(p), () => true);
        expect(report.mismatches).toEqual([]);
        expect(report.confirmedChanged).toEqual([]);
        expect(report.checked).toBe(steps.length);
      }),
      { numRuns: 150, seed: 20_261_205 },
    );
  });
});

// Live == batch at every bar on random tie-heavy series (integer ticks, short swings, every parameter
// combination): the cases that real data rarely reaches — equal highs, doji bars, one-bar swings.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { replay } from '../../../tests/support/smc-replay.ts';
import { smcParams } from './smc-params.ts';
import { barSteps, smcParamCombinations, stepsToBars } from './test-arbitraries.ts';

const walks = barSteps(1, 200);

describe('SMC live engine equals the batch on random series', () => {
  it('at every bar, with confirmed rows never changing', () => {
    fc.assert(
      fc.property(walks, smcParamCombinations, (steps, p) => {
        const report = replay(stepsToBars(steps), smcParams(p), () => true);
        expect(report.mismatches).toEqual([]);
        expect(report.confirmedChanged).toEqual([]);
        expect(report.checked).toBe(steps.length);
      }),
      { numRuns: 150, seed: 20_261_205 },
    );
  });
});

// SmcLiveEngine.warm: taking a window's bars without reporting leaves the engine where update() on each
// would, so every later bar reports the same changes (random tie-heavy series, every parameter combination).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { SmcLiveEngine } from './smc-live-engine.ts';
import { smcParams } from './smc-params.ts';
import { barSteps, smcParamCombinations, stepsToBars } from './test-arbitraries.ts';

const walks = barSteps(2, 200);

describe('SmcLiveEngine.warm', () => {
  it('leaves the engine as update() on each bar would: every later bar reports the same changes', () => {
    fc.assert(
      fc.property(walks, smcParamCombinations, fc.double({ min: 0, max: 1, noNaN: true }), (steps, p, split) => {
        const bars = stepsToBars(steps);
        const k = Math.max(1, Math.min(bars.length - 1, Math.floor(split * bars.length)));
        const stepped = new SmcLiveEngine(smcParams(p));
        for (const bar of bars.slice(0, k)) stepped.update(bar);
        const warmed = new SmcLiveEngine(smcParams(p));
        warmed.warm(bars.slice(0, k));
        expect(warmed.length).toBe(k);
        for (const bar of bars.slice(k)) expect(warmed.update(bar)).toEqual(stepped.update(bar));
      }),
      { numRuns: 200, seed: 20_261_205 },
    );
  });

  it('stops at a bad bar with the bars before it taken, and the engine stays usable', () => {
    const bars = stepsToBars(Array.from({ length: 30 }, (_, i) => ({ move: (i % 5) - 2, wickUp: 1, wickDown: 1, volume: 1 })));
    const stepped = new SmcLiveEngine({ swing_length: 2 });
    for (const bar of bars.slice(0, 20)) stepped.update(bar);
    const warmed = new SmcLiveEngine({ swing_length: 2 });
    const bad = { ...bars[20]!, high: bars[20]!.low - 1 };
    expect(() => warmed.warm([...bars.slice(0, 20), bad])).toThrow(ValidationError);
    expect(warmed.length).toBe(20);
    for (const bar of bars.slice(20)) expect(warmed.update(bar)).toEqual(stepped.update(bar));
  });
});

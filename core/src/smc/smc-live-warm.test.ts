// SmcLiveEngine.warm: taking a window's bars without reporting leaves the engine where update() on each
// would, so every later bar reports the same changes (random tie-heavy series, every parameter combination).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OhlcBar } from '../bar.ts';
import { ValidationError } from '../errors.ts';
import { SmcLiveEngine } from './smc-live-engine.ts';
import { smcParams } from './smc-params.ts';

const barSteps = fc.array(
  fc.record({
    move: fc.integer({ min: -4, max: 4 }),
    wickUp: fc.integer({ min: 0, max: 3 }),
    wickDown: fc.integer({ min: 0, max: 3 }),
    volume: fc.integer({ min: 0, max: 5 }),
  }),
  { minLength: 2, maxLength: 200, size: 'max' },
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

describe('SmcLiveEngine.warm', () => {
  it('leaves the engine as update() on each bar would: every later bar reports the same changes', () => {
    fc.assert(
      fc.property(barSteps, params, fc.double({ min: 0, max: 1, noNaN: true }), (steps, p, split) => {
        const bars = toBars(steps);
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
    const bars = toBars(Array.from({ length: 30 }, (_, i) => ({ move: (i % 5) - 2, wickUp: 1, wickDown: 1, volume: 1 })));
    const stepped = new SmcLiveEngine({ swing_length: 2 });
    for (const bar of bars.slice(0, 20)) stepped.update(bar);
    const warmed = new SmcLiveEngine({ swing_length: 2 });
    const bad = { ...bars[20]!, high: bars[20]!.low - 1 };
    expect(() => warmed.warm([...bars.slice(0, 20), bad])).toThrow(ValidationError);
    expect(warmed.length).toBe(20);
    for (const bar of bars.slice(20)) expect(warmed.update(bar)).toEqual(stepped.update(bar));
  });
});

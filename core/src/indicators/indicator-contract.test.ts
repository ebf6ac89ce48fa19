// Contract test: every registered indicator honours the StreamingIndicator contract and matches its batch kernel exactly.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { OhlcBar } from '../bar.ts';
import type { IndicatorValue } from './indicator.ts';
import { DEFAULT_INDICATOR_NAMES, INDICATOR_KINDS, getIndicatorDefinition, type IndicatorKind } from './registry.ts';

// ---- exact comparison -------------------------------------------------------------------------

/** Bit-exact equality (Object.is per number, so -0 !== 0 and NaN === NaN) for numbers and flat value objects. */
function sameValue(a: IndicatorValue | undefined, b: IndicatorValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (typeof a === 'number' || typeof b === 'number') return Object.is(a, b);
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  if (ka.join() !== kb.join()) return false;
  const ra = a as unknown as Record<string, number>;
  const rb = b as unknown as Record<string, number>;
  return ka.every((k) => Object.is(ra[k], rb[k]));
}

function show(v: IndicatorValue | undefined): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return String(v);
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' ? String(x) : x));
}

function expectSame(actual: IndicatorValue | undefined, expected: IndicatorValue | undefined, where: string): void {
  if (!sameValue(actual, expected)) {
    throw new Error(`${where}: got ${show(actual)}, expected exactly ${show(expected)}`);
  }
}

// ---- bar series generators --------------------------------------------------------------------

const T0 = 1_700_000_000_000;
const MINUTE = 60_000;

interface Step {
  readonly move: number;
  readonly open: number;
  readonly up: number;
  readonly down: number;
}

/** Builds consistent OHLC bars (low <= open, close <= high) from integer tick steps. */
function barsFromTicks(startTicks: number, ticksPerUnit: number, steps: readonly Step[]): OhlcBar[] {
  const bars: OhlcBar[] = [];
  let closeTicks = startTicks;
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    const openTicks = Math.max(1, closeTicks + s.open);
    closeTicks = Math.max(1, closeTicks + s.move);
    const highTicks = Math.max(openTicks, closeTicks) + s.up;
    const lowTicks = Math.max(0, Math.min(openTicks, closeTicks) - s.down);
    bars.push({
      time: T0 + i * MINUTE,
      open: openTicks / ticksPerUnit,
      high: highTicks / ticksPerUnit,
      low: lowTicks / ticksPerUnit,
      close: closeTicks / ticksPerUnit,
      volume: 1 + (i % 7),
    });
  }
  return bars;
}

const stepArb = (maxMove: number): fc.Arbitrary<Step> =>
  fc.record({
    move: fc.integer({ min: -maxMove, max: maxMove }),
    open: fc.integer({ min: -3, max: 3 }),
    up: fc.nat(5),
    down: fc.nat(5),
  });

/** Tick-quantised random walks at several price scales (cents, quarter points, pips, whole units). */
const tickWalkArb = (maxBars: number): fc.Arbitrary<OhlcBar[]> =>
  fc
    .tuple(
      fc.integer({ min: 1, max: 10_000_000 }),
      fc.constantFrom(1, 4, 100, 10_000, 100_000_000),
      fc.array(stepArb(25), { maxLength: maxBars }),
    )
    .map(([start, perUnit, steps]) => barsFromTicks(start, perUnit, steps));

/** Perfectly flat markets (every price identical), including non-representable decimals like 0.1. */
const flatArb = (maxBars: number): fc.Arbitrary<OhlcBar[]> =>
  fc.tuple(fc.constantFrom(0.1, 1, 100.25, 65432.17, 1e-7, 3), fc.nat(maxBars)).map(([price, n]) =>
    Array.from({ length: n }, (_, i) => ({
      time: T0 + i * MINUTE,
      open: price,
      high: price,
      low: price,
      close: price,
      volume: 0,
    })),
  );

/** Flat stretches interrupted by jumps: exercises zero changes, zero ranges and decaying averages. */
const flatWithJumpsArb = (maxBars: number): fc.Arbitrary<OhlcBar[]> =>
  fc
    .tuple(
      fc.integer({ min: 100, max: 1_000_000 }),
      fc.array(
        fc.oneof({ weight: 5, arbitrary: fc.constant<Step>({ move: 0, open: 0, up: 0, down: 0 }) }, { weight: 1, arbitrary: stepArb(500) }),
        { maxLength: maxBars },
      ),
    )
    .map(([start, steps]) => barsFromTicks(start, 100, steps));

/** Unquantised doubles across many magnitudes. */
const randomDoublesArb = (maxBars: number): fc.Arbitrary<OhlcBar[]> =>
  fc
    .tuple(
      fc.constantFrom(1e-6, 1, 1e3, 1e6),
      fc.array(
        fc.tuple(
          fc.double({ min: 0.5, max: 2, noNaN: true }),
          fc.double({ min: 0.5, max: 2, noNaN: true }),
          fc.double({ min: 0, max: 0.2, noNaN: true }),
          fc.double({ min: 0, max: 0.2, noNaN: true }),
        ),
        { maxLength: maxBars },
      ),
    )
    .map(([scale, rows]) =>
      rows.map(([o, c, up, down], i) => {
        const open = o * scale;
        const close = c * scale;
        return {
          time: T0 + i * MINUTE,
          open,
          high: Math.max(open, close) * (1 + up),
          low: Math.min(open, close) * (1 - down),
          close,
          volume: 1,
        };
      }),
    );

const barsArb = (maxBars: number): fc.Arbitrary<OhlcBar[]> =>
  fc.oneof(tickWalkArb(maxBars), flatArb(maxBars), flatWithJumpsArb(maxBars), randomDoublesArb(maxBars));

// ---- indicator name generators ----------------------------------------------------------------

/** Small-parameter names per kind, so short random series cover warm-up and steady state. */
const NAME_ARBS: Record<IndicatorKind, fc.Arbitrary<string>> = {
  sma: fc.integer({ min: 2, max: 12 }).map((n) => `sma_${n}`),
  ema: fc.integer({ min: 2, max: 12 }).map((n) => `ema_${n}`),
  rsi: fc.integer({ min: 2, max: 12 }).map((n) => `rsi_${n}`),
  atr: fc.integer({ min: 1, max: 12 }).map((n) => `atr_${n}`),
  macd: fc
    .tuple(fc.integer({ min: 2, max: 10 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 6 }))
    .map(([fast, gap, signal]) => `macd_${fast}_${fast + gap}_${signal}`),
  bb: fc.tuple(fc.integer({ min: 2, max: 12 }), fc.constantFrom(0.5, 1, 2, 2.5, 3)).map(([n, k]) => `bb_${n}_${k}`),
};

// ---- the contract -----------------------------------------------------------------------------

/** Perturbs a bar into a different "forming" version of itself, for preview calls. */
function variant(bar: OhlcBar, f: number): OhlcBar {
  const close = bar.close * f;
  return { ...bar, close, high: Math.max(bar.high, close), low: Math.min(bar.low, close) };
}

function checkContract(name: string, bars: readonly OhlcBar[], previewFactors: readonly number[]): void {
  const def = getIndicatorDefinition(name);
  const plain = def.create(); // update only
  const probed = def.create(); // previews before every update
  expect(plain.name).toBe(name);
  expect(plain.warmupBars).toBe(def.warmupBars);
  expect(plain.isReady).toBe(false);
  expect(plain.value).toBeUndefined();

  const batch = def.points(bars);
  expect(batch).toHaveLength(bars.length);

  for (let i = 0; i < bars.length; i++) {
    const bar = bars[i]!;
    // Several previews of other forming states, then of the final bar: none may leak into state.
    for (const f of previewFactors) probed.preview(variant(bar, f));
    const previewed = probed.preview(bar);
    expectSame(probed.preview(bar), previewed, `${name} bar ${i}: repeated preview`);

    const fromPlain = plain.update(bar);
    const fromProbed = probed.update(bar);
    const committed = i + 1;

    expectSame(fromProbed, fromPlain, `${name} bar ${i}: update after previews vs update alone`);
    expectSame(previewed, fromPlain, `${name} bar ${i}: preview(bar) vs update(bar)`);
    expect(batch[i]!.time).toBe(bar.time);
    expect('value' in batch[i]!, `${name}: batch value present iff ready (bar ${i})`).toBe(fromPlain !== undefined);
    expectSame(fromPlain, batch[i]!.value, `${name} bar ${i}: streaming vs batch`);

    const ready = committed >= def.warmupBars;
    expect(plain.isReady, `${name}: isReady after ${committed} bars`).toBe(ready);
    expect(fromPlain === undefined, `${name}: undefined iff warming up (bar ${i})`).toBe(!ready);
    expectSame(plain.value, fromPlain, `${name} bar ${i}: value getter`);
    expectSame(probed.value, fromPlain, `${name} bar ${i}: value getter after previews`);
  }
}

const previewFactorsArb = fc.array(fc.constantFrom(0.9, 0.999, 1, 1.001, 1.5), { maxLength: 3 });

describe('indicator contract', () => {
  it('every registered kind has a generator here (new kinds must join the contract test)', () => {
    expect(Object.keys(NAME_ARBS).sort()).toEqual([...INDICATOR_KINDS].sort());
  });

  describe.each(INDICATOR_KINDS)('%s with random parameters', (kind) => {
    it('preview is pure, isReady flips at warm-up, streaming equals batch exactly', () => {
      fc.assert(
        fc.property(NAME_ARBS[kind], barsArb(60), previewFactorsArb, (name, bars, factors) => {
          checkContract(name, bars, factors);
        }),
        { numRuns: 300 },
      );
    });
  });

  describe.each(DEFAULT_INDICATOR_NAMES)('%s', (name) => {
    it('preview is pure, isReady flips at warm-up, streaming equals batch exactly', () => {
      fc.assert(
        fc.property(barsArb(160), previewFactorsArb, (bars, factors) => {
          checkContract(name, bars, factors);
        }),
        { numRuns: 100 },
      );
    });

    it('flips isReady exactly at its warm-up length', () => {
      const def = getIndicatorDefinition(name);
      const bars = barsFromTicks(
        10_000,
        100,
        Array.from({ length: def.warmupBars + 5 }, (_, i) => ({ move: (i % 5) - 2, open: 1, up: 2, down: 3 })),
      );
      const ind = def.create();
      bars.forEach((bar, i) => {
        const v = ind.update(bar);
        expect(v === undefined).toBe(i + 1 < def.warmupBars);
        expect(ind.isReady).toBe(i + 1 >= def.warmupBars);
      });
    });

    it('rejects a repeated or older bar and a non-finite price without changing state', () => {
      const def = getIndicatorDefinition(name);
      const bars = barsFromTicks(
        5_000,
        100,
        Array.from({ length: def.warmupBars + 3 }, (_, i) => ({ move: (i % 3) - 1, open: 0, up: 1, down: 1 })),
      );
      const a = def.create();
      const b = def.create();
      for (const bar of bars.slice(0, -1)) {
        a.update(bar);
        b.update(bar);
      }
      const last = bars.at(-2)!;
      expect(() => b.update(last)).toThrow(expect.objectContaining({ code: 'OUT_OF_ORDER_BAR' }));
      expect(() => b.preview({ ...last, time: last.time - 1 })).toThrow(expect.objectContaining({ code: 'OUT_OF_ORDER_BAR' }));
      const next = bars.at(-1)!;
      expect(() => b.update({ ...next, close: Number.NaN })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
      expect(() => b.preview({ ...next, close: Number.POSITIVE_INFINITY })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
      expectSame(b.update(next), a.update(next), `${name}: state after rejected bars`);
    });
  });
});

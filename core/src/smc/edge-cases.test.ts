// SMC edge cases worked out by hand from ../shared/specs/smc.md: ties, gaps at the first bar, the window start.
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import type { OhlcBar } from '../bar.ts';
import { ValidationError } from '../errors.ts';
import { fvg } from './fvg.ts';
import { liquidity } from './liquidity.ts';
import { orderBlocks } from './order-blocks.ts';
import type { SmcRowChange } from './published-rows.ts';
import { smcBatch } from './smc-batch.ts';
import { toSmcBars } from './smc-bars.ts';
import { SmcLiveEngine } from './smc-live-engine.ts';
import { SMC_STUDIES, SMC_STUDY_COLUMNS, smcParams, type SmcStudy } from './smc-params.ts';
import { swingHighsLows } from './swing-highs-lows.ts';

type Ohlc = [open: number, high: number, low: number, close: number, volume?: number];
const toBars = (rows: Ohlc[]): OhlcBar[] =>
  rows.map(([open, high, low, close, volume], i) => ({ time: i * 60_000, open, high, low, close, volume: volume ?? 0 }));
const nonNaN = (a: Float64Array): [number, number][] => [...a].flatMap((v, i) => (Number.isNaN(v) ? [] : [[i, v] as [number, number]]));

/** Bars whose high and low are a fixed distance apart around the given highs (open/close inside). */
const fromHighs = (highs: number[]): OhlcBar[] => toBars(highs.map((h) => [h - 0.5, h, h - 1, h - 0.5]));

/** Deterministic bars for tests that need many (a small LCG: no dependency on ../shared). */
function randomBars(n: number, seed: number): OhlcBar[] {
  let s = seed;
  const rnd = (): number => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  let price = 100;
  return toBars(
    Array.from({ length: n }, () => {
      const open = price;
      const close = open + Math.round((rnd() - 0.5) * 16) / 4;
      price = close;
      return [
        open,
        Math.max(open, close) + Math.floor(rnd() * 6) / 4,
        Math.min(open, close) - Math.floor(rnd() * 6) / 4,
        close,
        1 + Math.floor(rnd() * 100),
      ] as Ohlc;
    }),
  );
}

/** The live engine's accumulated table after all bars, as batch-shaped columns. */
function liveTable(bars: readonly OhlcBar[], params: Parameters<typeof smcParams>[0]): Record<SmcStudy, Record<string, Float64Array>> {
  const engine = new SmcLiveEngine(params);
  const table = Object.fromEntries(
    SMC_STUDIES.map((s) => [s, Object.fromEntries(SMC_STUDY_COLUMNS[s].map((c) => [c, new Float64Array(bars.length).fill(NaN)]))]),
  ) as Record<SmcStudy, Record<string, Float64Array>>;
  const apply = (c: SmcRowChange): void =>
    SMC_STUDY_COLUMNS[c.study].forEach((name, k) => {
      table[c.study][name]![c.row] = c.values[k]!;
    });
  for (const bar of bars) engine.update(bar).forEach(apply);
  return table;
}

describe('swing_highs_lows edge cases', () => {
  it('equal highs in one run: both are candidates, the earliest is kept', () => {
    // L = 2: bars 3 and 5 both have the high 15 and each is the highest of its own window; bar 8 is a swing low.
    const bars = toSmcBars(fromHighs([10, 11, 12, 15, 13, 15, 12, 11, 10, 11, 12, 13]));
    const { HighLow, Level } = swingHighsLows(bars, 2);
    expect(nonNaN(HighLow)).toEqual([
      [0, -1],
      [3, 1],
      [8, -1],
      [11, 1],
    ]);
    expect(nonNaN(Level)).toEqual([
      [0, 9],
      [3, 15],
      [8, 9],
      [11, 13],
    ]);
  });

  it('a bar that is both the highest high and the lowest low of its window is a swing high only', () => {
    // L = 1: the window of bar i is bars i and i+1; bar 1 engulfs bar 2.
    const bars = toSmcBars(
      toBars([
        [5, 6, 4, 5],
        [5, 10, 1, 6],
        [6, 6.5, 3, 4],
        [4, 7, 2, 5],
      ]),
    );
    expect(nonNaN(swingHighsLows(bars, 1).HighLow)).toEqual([
      [0, -1],
      [1, 1],
      [3, -1],
    ]);
  });

  it('no bar before 2L−1 is a candidate, whatever its high (window start)', () => {
    // L = 2: bar 1 has the highest high of all bars but only bars 3 … n−3 are examined.
    const { HighLow } = swingHighsLows(toSmcBars(fromHighs([10, 20, 12, 14, 13, 12, 11, 12, 13])), 2);
    expect(HighLow[1]).toBeNaN();
    expect(nonNaN(HighLow)).toEqual([
      [0, -1],
      [3, 1],
      [6, -1],
      [8, 1],
    ]);
  });

  it('too few bars for any candidate: every row empty, no end points', () => {
    for (const n of [0, 1, 2, 5]) {
      const { HighLow } = swingHighsLows(toSmcBars(fromHighs(Array.from({ length: n }, (_, i) => 10 + i))), 2);
      expect(HighLow.length).toBe(n);
      expect(nonNaN(HighLow)).toEqual([]);
    }
  });
});

describe('fvg edge cases', () => {
  // Bars 0–3 leave a bullish gap on every middle bar: rows 1, 2 and 3.
  const rising = toBars([
    [10, 11, 9, 10.5],
    [11, 13, 10.5, 12.5],
    [12.5, 14, 12, 13.8],
    [15.5, 17, 15, 16.5],
    [16.5, 17, 16, 16.8],
  ]);

  it('a gap next to the first bar is found; bar 0 and the last bar never hold one', () => {
    const { FVG, Top, Bottom, MitigatedIndex } = fvg(toSmcBars(rising), false);
    expect(nonNaN(FVG)).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
    ]);
    expect(nonNaN(Top)).toEqual([
      [1, 12],
      [2, 15],
      [3, 16],
    ]);
    expect(nonNaN(Bottom)).toEqual([
      [1, 11],
      [2, 13],
      [3, 14],
    ]);
    expect(nonNaN(MitigatedIndex)).toEqual([
      [1, 0],
      [2, 0],
      [3, 0],
    ]);
  });

  it('joining folds a run of gaps into its last bar with the widest edges', () => {
    const { FVG, Top, Bottom, MitigatedIndex } = fvg(toSmcBars(rising), true);
    expect(nonNaN(FVG)).toEqual([[3, 1]]);
    expect([Top[3], Bottom[3], MitigatedIndex[3]]).toEqual([16, 11, 0]);
  });

  it('live with joining: each gap is provisional until the next bar folds it away (then confirmed empty)', () => {
    const engine = new SmcLiveEngine({ join_consecutive: true });
    const fvgRows = rising.map((bar) =>
      engine
        .update(bar)
        .filter((c) => c.study === 'fvg')
        .map((c) => [c.row, c.values[0], c.confirmed]),
    );
    expect(fvgRows).toEqual([
      [],
      [],
      [[1, 1, false]],
      [
        [1, NaN, true],
        [2, 1, false],
      ],
      [
        [2, NaN, true],
        [3, 1, false],
      ],
    ]);
  });

  it('mitigation is searched from two bars after the gap: the third bar touching the edge does not count', () => {
    // Bullish gap on row 1 with Top = low[2] = 12: bar 2 touches its own edge, bar 4 is the first later touch.
    const bars = toSmcBars(
      toBars([
        [10, 11, 9, 10.5],
        [11, 14, 10.5, 13.5],
        [13.5, 15, 12, 14.5],
        [14.5, 16, 13, 15.5],
        [15, 15.5, 12, 12.2],
      ]),
    );
    const { FVG, MitigatedIndex } = fvg(bars, false);
    expect(FVG[1]).toBe(1);
    expect(MitigatedIndex[1]).toBe(4);
  });
});

describe('ob and liquidity edge cases', () => {
  it("a bullish block from the artificial swing on bar 0 has swapped edges and the breaking bars' volumes", () => {
    // L = 1: the first candidate is the swing low on bar 1, so bar 0 carries an artificial swing high;
    // bar 1 closes above it (i − s = 1): the block sits on bar 0 with Top = low[0], Bottom = high[0].
    const bars = toSmcBars(
      toBars([
        [5, 6, 4, 5, 100],
        [5, 9, 5, 8.5, 200],
        [8.5, 10, 7, 9.5, 300],
        [9.5, 11, 8, 10.5, 400],
      ]),
    );
    const swings = swingHighsLows(bars, 1);
    expect(nonNaN(swings.HighLow)).toEqual([
      [0, 1],
      [1, -1],
      [3, 1],
    ]);
    const ob = orderBlocks(bars, swings.HighLow, false);
    expect(nonNaN(ob.OB)).toEqual([[0, 1]]);
    // OBVolume = V[1] + V[0] + V[−1 → 0]; Percentage = min(V[1]+V[0], V[−1]) / max(…) · 100 = 0.
    expect([ob.Top[0], ob.Bottom[0], ob.OBVolume[0], ob.MitigatedIndex[0], ob.Percentage[0]]).toEqual([4, 6, 300, 0, 0]);
  });

  it('equal swing highs form one liquidity group; the level is their float32 mean', () => {
    const bars = toSmcBars(
      toBars([9, 10, 9, 8, 9, 10, 9, 8, 9, 12].map((h, i) => [h - 0.5, h, [8, 9, 6, 5, 6, 9, 6, 5.02, 6, 11][i]!, h - 0.5])),
    );
    const HighLow = new Float64Array(10).fill(NaN);
    const Level = new Float64Array(10).fill(NaN);
    for (const [i, label, level] of [
      [1, 1, 10],
      [3, -1, 5],
      [5, 1, 10],
      [7, -1, 5.02],
      [9, 1, 12],
    ] as const) {
      HighLow[i] = label;
      Level[i] = level;
    }
    // tol = 0.01 · (12 − 5) = 0.07. Highs: anchor 1 takes 5 (equal), swept at bar 9 (high 12 ≥ 10.07).
    // Lows: anchor 3 takes 7 (5.02 within 5 ± 0.07); nothing reaches 4.93: Swept 0.
    const { Liquidity, Level: level, End, Swept } = liquidity(bars, { HighLow, Level }, 0.01);
    expect(nonNaN(Liquidity)).toEqual([
      [1, 1],
      [3, -1],
    ]);
    expect([level[1], End[1], Swept[1]]).toEqual([10, 5, 9]);
    expect([level[3], End[3], Swept[3]]).toEqual([Math.fround(5.01), 7, 0]);
  });
});

describe('SMC live engine: window start and input', () => {
  const bars = randomBars(400, 11);

  it('the answer depends on the first bar; live started at any bar equals the batch from that bar', () => {
    for (const start of [0, 1, 7]) {
      const window = bars.slice(start);
      const params = smcParams({ swing_length: 3 });
      const batch = smcBatch(toSmcBars(window), params) as unknown as Record<SmcStudy, Record<string, Float64Array>>;
      expect(liveTable(window, params)).toEqual(batch);
      // The window's first bar carries the artificial swing of spec §3.3, wherever the window starts.
      expect(batch.swing_highs_lows.HighLow![0]).not.toBeNaN();
    }
  });

  it('a bad bar is refused with the field named and leaves the engine unchanged', () => {
    const engine = new SmcLiveEngine({ swing_length: 3 });
    for (const bar of bars.slice(0, 50)) engine.update(bar);
    const next = bars[50]!;
    expect(() => engine.update({ ...next, close: NaN })).toThrow(ValidationError);
    expect(() => engine.update({ ...next, close: NaN })).toThrow(/bar 50\.close/);
    expect(() => engine.update({ ...next, time: bars[49]!.time })).toThrow(/bar 50\.time/);
    expect(() => engine.update({ ...next, low: next.high + 1 })).toThrow(/bar 50\.low/);
    expect(engine.length).toBe(50);
    for (const bar of bars.slice(50)) engine.update(bar);
    expect(liveTable(bars, { swing_length: 3 })).toEqual(smcBatch(engine.bars, engine.params));
  });

  it('bad parameters are refused with the field named', () => {
    expect(() => new SmcLiveEngine({ swing_length: 0 })).toThrow(ZodError);
    expect(() => new SmcLiveEngine({ swing_length: 2.5 })).toThrow(/swing_length/);
    expect(() => new SmcLiveEngine({ range_percent: -1 })).toThrow(/range_percent/);
  });
});

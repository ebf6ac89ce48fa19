import { describe, expect, it } from 'vitest';
import type { OhlcBar } from './bar.ts';
import { BarColumns, BarColumnsBuilder } from './bar-columns.ts';

const bar = (i: number): OhlcBar => ({ time: 60_000 * i, open: i + 0.25, high: i + 1, low: i - 1, close: i + 0.5, volume: i * 3 });

describe('BarColumns', () => {
  it('gives back the bars it was built from, across the builder growing its columns', () => {
    const bars = Array.from({ length: 2_500 }, (_, i) => bar(i));
    const builder = new BarColumnsBuilder();
    for (const b of bars) builder.add(b.time, b.open, b.high, b.low, b.close, b.volume);
    const built = builder.finish();
    expect(built.length).toBe(2_500);
    expect(built.toBars()).toEqual(bars);
    expect(built.at(1_234)).toEqual(bars[1_234]);
    expect(BarColumns.fromBars(bars).toBars()).toEqual(bars);
  });

  it('is empty with no bars, and refuses columns of unequal length', () => {
    expect(new BarColumnsBuilder().finish().length).toBe(0);
    const c = new Float64Array(2);
    expect(() => new BarColumns(c, c, c, c, c, new Float64Array(1))).toThrow(/unequal length/);
  });
});

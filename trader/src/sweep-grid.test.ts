import { describe, expect, it } from 'vitest';
import { combinations, parseSweepGrid } from './sweep-grid.ts';

describe('sweep grid', () => {
  it('expands from..to:step ranges (inclusive) and lists, every combination once', () => {
    const grid = parseSweepGrid(['fast=10..30:5', 'slow=40,60']);
    expect(grid).toEqual({ fast: [10, 15, 20, 25, 30], slow: [40, 60] });
    const all = combinations(grid);
    expect(all).toHaveLength(10);
    expect(all[0]).toEqual({ fast: 10, slow: 40 });
    expect(new Set(all.map((p) => `${p.fast}/${p.slow}`)).size).toBe(10);
  });

  it('keeps fractional steps exact enough to reach the end', () => {
    expect(parseSweepGrid(['x=0.1..0.3:0.1']).x).toEqual([0.1, 0.2, 0.3]);
  });

  it('names the bad spec', () => {
    expect(() => parseSweepGrid(['fast'])).toThrow(/--sweep fast: expected name=from\.\.to:step/);
    expect(() => parseSweepGrid(['fast=30..10:5'])).toThrow(/--sweep fast=30\.\.10:5: needs from ≤ to/);
    expect(() => parseSweepGrid(['fast=a,b'])).toThrow(/not numbers/);
    expect(() => parseSweepGrid(['a=1..200', 'b=1..200'])).toThrow(/more than 10000 combinations/);
  });
});

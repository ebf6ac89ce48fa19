import { describe, expect, it } from 'vitest';
import { formatAge, formatChange, formatPrice, tickDecimals } from './format.ts';

describe('format', () => {
  it('writes prices to the tick size', () => {
    expect(tickDecimals(0.25)).toBe(2);
    expect(tickDecimals(0.01)).toBe(2);
    expect(tickDecimals(1)).toBe(0);
    expect(tickDecimals(0.00001)).toBe(5);
    expect(formatPrice(5600.5, 0.25)).toBe('5,600.50');
    expect(formatPrice(null, 0.25)).toBe('—');
  });

  it('signs changes and their percentage', () => {
    expect(formatChange(12.25, 0.2189, 0.25)).toBe('+12.25 (+0.22%)');
    expect(formatChange(-3, -0.05, 0.25)).toBe('−3.00 (−0.05%)');
    expect(formatChange(0, 0, 1)).toBe('±0 (±0.00%)');
    expect(formatChange(null, null, 1)).toBe('—');
  });

  it('says how long ago', () => {
    expect(formatAge(4_200)).toBe('4 s');
    expect(formatAge(-50)).toBe('0 s');
    expect(formatAge(185_000)).toBe('3 min');
    expect(formatAge(2 * 3_600_000 + 5 * 60_000)).toBe('2 h 5 min');
    expect(formatAge(3 * 3_600_000)).toBe('3 h');
    expect(formatAge(80 * 3_600_000)).toBe('3 d');
  });
});

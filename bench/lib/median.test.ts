import { describe, expect, it } from 'vitest';
import { median, spread } from './median.ts';

describe('median', () => {
  it('of an odd count is the middle value, whatever the order given', () => {
    expect(median([9, 1, 5])).toBe(5);
    expect(median([7])).toBe(7);
  });

  it('of an even count is the mean of the two middles, not the larger nor the smaller', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([10, 20])).toBe(15);
    expect(median([-3, 1])).toBe(-1);
  });

  it('leaves its input as it was, and is NaN of nothing', () => {
    const values = [3, 1, 2, 0];
    expect(median(values)).toBe(1.5);
    expect(values).toEqual([3, 1, 2, 0]);
    expect(median([])).toBeNaN();
  });
});

describe('spread', () => {
  it('names the extremes and the quartiles', () => {
    expect(spread([4, 1, 3, 2, 5, 8, 7, 6], 0)).toBe('min–max 1–8, IQR 3–7');
  });
});

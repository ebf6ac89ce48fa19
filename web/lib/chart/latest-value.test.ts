import { describe, expect, it } from 'vitest';
import { LatestValue } from './latest-value.ts';

describe('LatestValue', () => {
  it('tells its subscribers of each change, once, until they unsubscribe', () => {
    const value = new LatestValue<number | null>(null);
    const seen: (number | null)[] = [];
    const unsubscribe = value.subscribe(() => seen.push(value.get()));
    value.set(1);
    value.set(1);
    value.set(2);
    unsubscribe();
    value.set(3);
    expect(seen).toEqual([1, 2]);
    expect(value.get()).toBe(3);
  });
});

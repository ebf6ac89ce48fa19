import { describe, expect, it } from 'vitest';
import { FrameBudget } from './frame-budget.ts';

describe('FrameBudget', () => {
  it('allows the burst at once, then the rate', () => {
    let now = 0;
    const budget = new FrameBudget(10, 3, () => now);
    expect([budget.take(), budget.take(), budget.take(), budget.take()]).toEqual([true, true, true, false]);
    now += 100; // one token at 10/s
    expect([budget.take(), budget.take()]).toEqual([true, false]);
    now += 10_000; // refills to the burst, not beyond
    expect([budget.take(), budget.take(), budget.take(), budget.take()]).toEqual([true, true, true, false]);
  });
});

// The sliding window on fake timers: grants come exactly when the window allows, in arrival order.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SlidingWindowRateLimiter } from './rate-limiter.ts';

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('SlidingWindowRateLimiter', () => {
  it('lets maxCalls through per window and the rest exactly when the oldest call leaves it, in order', async () => {
    const grants: Array<[number, number]> = [];
    const limiter = new SlidingWindowRateLimiter({ maxCalls: 3, windowMs: 300 }, () => Date.now());
    const all = Array.from({ length: 8 }, (_, i) =>
      limiter.acquire().then(() => {
        grants.push([i, Date.now()]);
      }),
    );
    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all(all);
    expect(grants).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
      [3, 300],
      [4, 300],
      [5, 300],
      [6, 600],
      [7, 600],
    ]);
  });

  it('reports each grant on its own clock, and counts the calls in the window', async () => {
    const grants: number[] = [];
    const limiter = new SlidingWindowRateLimiter(
      { maxCalls: 2, windowMs: 1_000 },
      () => Date.now(),
      (at) => grants.push(at),
    );
    await limiter.acquire();
    vi.advanceTimersByTime(400);
    await limiter.acquire();
    expect(limiter.inWindow()).toBe(2);
    const third = limiter.acquire();
    await vi.advanceTimersByTimeAsync(600);
    await third;
    expect(grants).toEqual([0, 400, 1_000]);
    expect(limiter.inWindow()).toBe(2);
  });

  it('stops a waiter when its signal aborts, and the next waiter still gets its turn', async () => {
    const limiter = new SlidingWindowRateLimiter({ maxCalls: 1, windowMs: 1_000 }, () => Date.now());
    await limiter.acquire();
    const controller = new AbortController();
    const aborted = limiter.acquire(controller.signal);
    const next = limiter.acquire();
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ code: 'aborted' });
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(next).resolves.toBeUndefined();
  });
});

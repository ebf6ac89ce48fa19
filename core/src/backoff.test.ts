import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay, sleep } from './backoff.ts';

describe('sleep', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('leaves no abort listener behind after many finished sleeps on one signal', async () => {
    const controller = new AbortController();
    for (let i = 0; i < 50; i++) {
      const slept = sleep(100, controller.signal);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(100);
      await slept;
    }
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('an abort ends the sleep at once and clears its timer and listener', async () => {
    const controllers = Array.from({ length: 50 }, () => new AbortController());
    const sleeps = controllers.map((c) => sleep(60_000, c.signal));
    expect(vi.getTimerCount()).toBe(50);
    for (const c of controllers) c.abort();
    await Promise.all(sleeps);
    expect(vi.getTimerCount()).toBe(0);
    for (const c of controllers) expect(getEventListeners(c.signal, 'abort')).toHaveLength(0);
  });

  it('an already aborted signal returns at once without a timer', async () => {
    const controller = new AbortController();
    controller.abort();
    await sleep(60_000, controller.signal);
    expect(vi.getTimerCount()).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the cap, never below half of it', () => {
    expect(backoffDelay(1, { random: () => 0 })).toBe(125);
    expect(backoffDelay(1, { random: () => 1 })).toBe(250);
    expect(backoffDelay(3, { random: () => 1 })).toBe(1_000);
    expect(backoffDelay(30, { random: () => 0 })).toBe(15_000);
    expect(backoffDelay(30, { random: () => 1 })).toBe(30_000);
  });
});

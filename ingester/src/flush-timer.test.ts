import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FlushTimer } from './flush-timer.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('FlushTimer', () => {
  it('flushes once per schedule however often asked, after the delay', async () => {
    const flush = vi.fn(() => Promise.resolve());
    const timer = new FlushTimer(flush, () => undefined);
    timer.schedule(2);
    timer.schedule(2);
    timer.schedule(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(flush).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(flush).toHaveBeenCalledTimes(1);
  });

  it('flushes again while `again` says so, and never after halt', async () => {
    let left = 3;
    const flush = vi.fn(() => {
      left--;
      return Promise.resolve();
    });
    const timer = new FlushTimer(flush, () => (left > 0 ? 0 : undefined));
    timer.schedule(0);
    await vi.runAllTimersAsync();
    expect(flush).toHaveBeenCalledTimes(3);
    left = 5;
    timer.schedule(5);
    timer.halt();
    await vi.runAllTimersAsync();
    expect(flush).toHaveBeenCalledTimes(3);
    timer.schedule(0);
    await vi.runAllTimersAsync();
    expect(flush).toHaveBeenCalledTimes(3);
  });
});

import { describe, expect, it } from 'vitest';
import { nextRetry } from './retry-schedule.ts';

const policy = { maxAttempts: 4, backoffMs: 1_000, backoffMaxMs: 5_000 };

describe('nextRetry', () => {
  it('doubles the delay per attempt, half fixed and half random, capped', () => {
    const low = (attempt: number) => nextRetry(policy, attempt, { retryable: true }, () => 0);
    const high = (attempt: number) => nextRetry(policy, attempt, { retryable: true }, () => 1);
    expect([1, 2, 3].map(low)).toEqual([
      { retry: true, delayMs: 500 },
      { retry: true, delayMs: 1_000 },
      { retry: true, delayMs: 2_000 },
    ]);
    expect([1, 2, 3].map(high)).toEqual([
      { retry: true, delayMs: 1_000 },
      { retry: true, delayMs: 2_000 },
      { retry: true, delayMs: 4_000 },
    ]);
    expect(nextRetry({ ...policy, maxAttempts: 10 }, 8, { retryable: true }, () => 1)).toEqual({ retry: true, delayMs: 5_000 });
  });

  it('waits at least as long as the receiver asked (Retry-After)', () => {
    expect(nextRetry(policy, 1, { retryable: true, retryAfterMs: 30_000 }, () => 0)).toEqual({ retry: true, delayMs: 30_000 });
    expect(nextRetry(policy, 3, { retryable: true, retryAfterMs: 10 }, () => 0)).toEqual({ retry: true, delayMs: 2_000 });
  });

  it('gives up on a failure that is not retryable and after the last attempt', () => {
    expect(nextRetry(policy, 1, { retryable: false })).toEqual({ retry: false });
    expect(nextRetry(policy, 4, { retryable: true })).toEqual({ retry: false });
  });
});

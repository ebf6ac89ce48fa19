// When a failed delivery attempt is tried again: exponential backoff with jitter, never sooner than the
// receiver asked (Retry-After), or dead-lettered once the attempts are used up.
import { backoffDelay } from '@barstream/core';

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly backoffMs: number;
  readonly backoffMaxMs: number;
}

export type RetryDecision = { readonly retry: true; readonly delayMs: number } | { readonly retry: false };

/**
 * After attempt `attempt` (1-based) failed: retry after the backoff of that attempt (half fixed, half
 * random, capped), or after the receiver's Retry-After when that is later; no retry when the failure is
 * not retryable or it was the last attempt.
 */
export function nextRetry(
  policy: RetryPolicy,
  attempt: number,
  failure: { readonly retryable: boolean; readonly retryAfterMs?: number },
  random: () => number = Math.random,
): RetryDecision {
  if (!failure.retryable || attempt >= policy.maxAttempts) return { retry: false };
  const backoff = backoffDelay(attempt, { initialMs: policy.backoffMs, maxMs: policy.backoffMaxMs, random });
  return { retry: true, delayMs: Math.max(backoff, failure.retryAfterMs ?? 0) };
}

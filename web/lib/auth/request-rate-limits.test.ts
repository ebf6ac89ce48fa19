import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RequestRateLimits } from './request-rate-limits.ts';

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2026, 0, 5, 12), toFake: ['Date', 'setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('RequestRateLimits', () => {
  it('lets a key spend its quota in a window, refuses the rest with Retry-After, and serves another key meanwhile', async () => {
    const limits = new RequestRateLimits({ per_key: 100, per_ip: 10, window_seconds: 1, limit_loopback: false });
    // 1,000 requests in the same instant: a second's worth at 1,000 a second.
    const decisions = await Promise.all(Array.from({ length: 1_000 }, () => limits.take({ keyId: '1' })));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(100);
    const refused = decisions.filter((d) => !d.allowed);
    expect(refused).toHaveLength(900);
    expect(refused[0]?.headers).toEqual({ 'ratelimit-policy': '"key";q=100;w=1', ratelimit: '"key";r=0;t=1', 'retry-after': '1' });
    expect(decisions[0]?.headers).toEqual({ 'ratelimit-policy': '"key";q=100;w=1', ratelimit: '"key";r=99;t=1' });
    const other = await limits.take({ keyId: '2' });
    expect(other.allowed).toBe(true);
    expect(other.headers.ratelimit).toBe('"key";r=99;t=1');

    vi.advanceTimersByTime(1_000);
    expect((await limits.take({ keyId: '1' })).allowed).toBe(true);
  });

  it('counts addresses without a key apart from keys, with their own quota', async () => {
    const limits = new RequestRateLimits({ per_key: 100, per_ip: 3, window_seconds: 60, limit_loopback: false });
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await limits.take({ address: '10.0.0.1' })).allowed);
    expect(answers).toEqual([true, true, true, false, false]);
    const refused = await limits.take({ address: '10.0.0.1' });
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.headers['ratelimit-policy']).toBe('"ip";q=3;w=60');
    expect((await limits.take({ address: '10.0.0.2' })).allowed).toBe(true);
    expect((await limits.take({ keyId: '10.0.0.1' })).allowed).toBe(true);
  });

  it('leaves loopback addresses alone unless limit_loopback', async () => {
    const open = new RequestRateLimits({ per_key: 1, per_ip: 1, window_seconds: 60, limit_loopback: false });
    const closed = new RequestRateLimits({ per_key: 1, per_ip: 1, window_seconds: 60, limit_loopback: true });
    for (let i = 0; i < 3; i++) expect((await open.take({ address: '127.0.0.1' })).allowed).toBe(true);
    expect((await open.take({ keyId: '1' })).allowed).toBe(true);
    expect((await open.take({ keyId: '1' })).allowed).toBe(false);
    expect((await closed.take({ address: '::1' })).allowed).toBe(true);
    expect((await closed.take({ address: '::1' })).allowed).toBe(false);
  });
});

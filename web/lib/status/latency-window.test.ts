import type { HistogramSeries } from '@barstream/core';
import { describe, expect, it } from 'vitest';
import { LatencyWindow } from './latency-window.ts';

/** Cumulative counts at le 1 ms, 10 ms, 100 ms, +Inf. */
const at = (counts: readonly [number, number, number, number]): HistogramSeries => ({
  name: 'stage_seconds',
  labels: {},
  buckets: [0.001, 0.01, 0.1, Infinity].map((le, i) => ({ le, count: counts[i] as number })),
});

describe('LatencyWindow', () => {
  it('answers the first scrape as since start, then only what the window saw', () => {
    const window = new LatencyWindow(300_000);
    const first = window.record('s', 0, at([100, 100, 100, 100]));
    expect(first).toEqual({ p99: expect.closeTo(0.00099, 8) as number, count: 100, beyondBuckets: false, spanMs: undefined });
    // 100 slow observations after the first scrape: the window's p99 is theirs alone.
    const second = window.record('s', 60_000, at([100, 100, 200, 200]));
    expect(second.count).toBe(100);
    expect(second.spanMs).toBe(60_000);
    expect(second.p99).toBeCloseTo(0.01 + 0.09 * 0.99, 8);
  });

  it('subtracts the newest scrape at least the window old, forgetting older ones', () => {
    const window = new LatencyWindow(300_000);
    window.record('s', 0, at([10, 10, 10, 10]));
    window.record('s', 200_000, at([20, 20, 20, 20]));
    window.record('s', 400_000, at([30, 30, 30, 30]));
    // At 550 s the window starts at 250 s: the baseline is the 200 s scrape (the newest that old).
    const q = window.record('s', 550_000, at([40, 40, 40, 40]));
    expect(q.spanMs).toBe(350_000);
    expect(q.count).toBe(20);
  });

  it('says when the p99 lies beyond the highest finite bucket', () => {
    const window = new LatencyWindow(300_000);
    expect(window.record('s', 0, at([0, 0, 90, 100]))).toMatchObject({ p99: 0.1, beyondBuckets: true });
    expect(window.record('t', 0, at([0, 0, 100, 100]))).toMatchObject({ beyondBuckets: false });
  });

  it('reports no p99 when nothing was observed in the window', () => {
    const window = new LatencyWindow(300_000);
    window.record('s', 0, at([5, 5, 5, 5]));
    expect(window.record('s', 10_000, at([5, 5, 5, 5]))).toEqual({ p99: undefined, count: 0, beyondBuckets: false, spanMs: 10_000 });
  });
});

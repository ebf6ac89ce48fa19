import { describe, expect, it } from 'vitest';
import { histogramCount, histogramDelta, histogramQuantile, parseHistograms, sumHistograms } from './prometheus-histograms.ts';

const exposition = (counts: readonly number[], channel = 'bars') =>
  [
    '# HELP stage_seconds a stage',
    '# TYPE stage_seconds histogram',
    `stage_seconds_bucket{le="0.001",channel="${channel}",service="x"} ${counts[0]}`,
    `stage_seconds_bucket{le="0.01",channel="${channel}",service="x"} ${counts[1]}`,
    `stage_seconds_bucket{le="0.1",channel="${channel}",service="x"} ${counts[2]}`,
    `stage_seconds_bucket{le="+Inf",channel="${channel}",service="x"} ${counts[3]}`,
    `stage_seconds_sum{channel="${channel}",service="x"} 1.5`,
    `stage_seconds_count{channel="${channel}",service="x"} ${counts[3]}`,
    'other_total{service="x"} 7',
  ].join('\n');

describe('parseHistograms', () => {
  it('reads each label set as one series with ascending buckets, skipping other metrics', () => {
    const [series, ...rest] = parseHistograms(exposition([1, 2, 3, 4]));
    expect(rest).toEqual([]);
    expect(series?.name).toBe('stage_seconds');
    expect(series?.labels).toEqual({ channel: 'bars', service: 'x' });
    expect(series?.buckets).toEqual([
      { le: 0.001, count: 1 },
      { le: 0.01, count: 2 },
      { le: 0.1, count: 3 },
      { le: Infinity, count: 4 },
    ]);
  });
});

describe('histogramQuantile', () => {
  const series = (counts: readonly number[]) => parseHistograms(exposition(counts))[0]!;

  it('interpolates inside the bucket that holds the rank, as PromQL does', () => {
    // 100 observations: 50 ≤ 1 ms, 40 in (1, 10] ms, 10 in (10, 100] ms. p99 is rank 99: 9/10 into the last finite bucket.
    expect(histogramQuantile(0.99, series([50, 90, 100, 100]))).toBeCloseTo(0.01 + 0.09 * 0.9, 10);
    // p50 is rank 50: the whole first bucket, which starts at 0.
    expect(histogramQuantile(0.5, series([50, 90, 100, 100]))).toBeCloseTo(0.001, 10);
  });

  it('answers the highest finite bound for a rank in +Inf, and undefined with no observations', () => {
    expect(histogramQuantile(0.99, series([0, 0, 1, 10]))).toBe(0.1);
    expect(histogramQuantile(0.99, series([0, 0, 0, 0]))).toBeUndefined();
  });

  it('refuses a quantile outside (0, 1)', () => {
    expect(() => histogramQuantile(99, series([1, 1, 1, 1]))).toThrow(/between 0 and 1/);
  });
});

describe('histogramDelta', () => {
  const at = (counts: readonly number[]) => parseHistograms(exposition(counts))[0]!;

  it('keeps only what was observed between two scrapes', () => {
    const delta = histogramDelta(at([100, 190, 200, 200]), at([100, 100, 100, 100]));
    expect(delta.buckets.map((b) => b.count)).toEqual([0, 90, 100, 100]);
    // The window's p99 ignores the 100 fast observations before it.
    expect(histogramQuantile(0.99, delta)).toBeCloseTo(0.01 + 0.09 * 0.9, 10);
  });

  it('takes the later scrape whole after a restart reset the counts', () => {
    expect(histogramDelta(at([1, 2, 3, 3]), at([10, 20, 30, 30])).buckets.map((b) => b.count)).toEqual([1, 2, 3, 3]);
  });
});

describe('sumHistograms', () => {
  it('adds series bucket by bucket', () => {
    const sum = sumHistograms('stage_seconds', [
      ...parseHistograms(exposition([1, 2, 3, 4], 'bars')),
      ...parseHistograms(exposition([1, 1, 1, 1], 'ticks')),
    ]);
    expect(sum.buckets.map((b) => b.count)).toEqual([2, 3, 4, 5]);
    expect(histogramCount(sum)).toBe(5);
  });
});

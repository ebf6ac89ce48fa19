// p99 over the last 5 minutes from cumulative histograms: the web server keeps each stage's scrapes
// (taken when /status is read) and subtracts, bucket by bucket, the newest scrape at least the window
// old, or the oldest kept when none is that old yet. The first read has nothing to subtract and shows
// everything since the service started, and says so.
import { histogramCount, histogramDelta, histogramQuantile, type HistogramSeries } from '@barstream/core';

export const STATUS_WINDOW_MS = 5 * 60_000;

export interface WindowQuantile {
  /** Seconds, or undefined with no observations in the window. */
  readonly p99: number | undefined;
  readonly count: number;
  /** The p99 lies beyond the highest finite bucket: p99 is that bound, the real figure is larger. */
  readonly beyondBuckets: boolean;
  /** How far back the window reaches (ms), or undefined for "since the service started". */
  readonly spanMs: number | undefined;
}

interface Scrape {
  readonly at: number;
  readonly series: HistogramSeries;
}

export class LatencyWindow {
  private readonly scrapes = new Map<string, Scrape[]>();

  constructor(private readonly windowMs = STATUS_WINDOW_MS) {}

  /** Keeps this scrape of `key` and answers the p99 of what was observed since the window's start. */
  record(key: string, at: number, series: HistogramSeries): WindowQuantile {
    const kept = (this.scrapes.get(key) ?? []).filter((s) => s.at < at);
    const old = kept.filter((s) => s.at <= at - this.windowMs);
    const baseline = old[old.length - 1] ?? kept[0];
    // Older than the baseline is never needed again.
    this.scrapes.set(key, [...kept.filter((s) => baseline === undefined || s.at >= baseline.at), { at, series }]);
    const delta = histogramDelta(series, baseline?.series);
    const count = histogramCount(delta);
    const highestFinite = delta.buckets.filter((b) => b.le !== Infinity).pop();
    return {
      p99: histogramQuantile(0.99, delta),
      count,
      beyondBuckets: count > 0 && highestFinite !== undefined && highestFinite.count < 0.99 * count,
      spanMs: baseline === undefined || delta === series ? undefined : at - baseline.at,
    };
  }
}

// One series' (contract + timeframe) newest bars held in memory: a suffix of the stored series,
// ascending, and the bookkeeping that says how current it is (see recent-bars-cache.ts).
import type { StoredBar } from './stored-bars.ts';

export class CachedSeries {
  /** Ascending by time: every stored bar with time >= coveredFrom, as of the last read. */
  bars: readonly StoredBar[] = [];
  /** -Infinity when the whole series is held. */
  coveredFrom = Number.POSITIVE_INFINITY;
  /** Notifications counted so far, and the count the held bars reflect. */
  seen = 0;
  synced = -1;
  /** Earliest bar time a notification counted since the last read named. */
  dirtyFrom = Number.POSITIVE_INFINITY;
  /** Reads of this series run one at a time, in order. */
  private queue: Promise<unknown> = Promise.resolve();

  /** Counts a notification about the bar at `timeMs`; bars before the held range are not ours. */
  noteBar(timeMs: number): void {
    if (timeMs < this.coveredFrom && this.synced >= 0) return;
    this.seen++;
    this.dirtyFrom = Math.min(this.dirtyFrom, timeMs);
  }

  /** Runs `work` after every read queued before it. */
  enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Replaces the held bars from `fromMs` on with `fresh` (ascending, all >= fromMs). */
  replaceFrom(fromMs: number, fresh: readonly StoredBar[]): void {
    const cut = firstAtOrAfter(this.bars, fromMs);
    this.bars = cut === this.bars.length ? [...this.bars, ...fresh] : [...this.bars.slice(0, cut), ...fresh];
  }

  /** Drops the oldest bars beyond `max`; the held range then starts at the oldest kept bar. */
  trimTo(max: number): void {
    if (this.bars.length <= max) return;
    this.bars = this.bars.slice(this.bars.length - max);
    this.coveredFrom = (this.bars[0] as StoredBar).time;
  }

  /** The newest `limit` bars in [fromMs, toMs], or undefined when the held bars cannot tell
   * (the range reaches before the held suffix and holds fewer than `limit` bars). */
  newest(fromMs: number, toMs: number, limit: number): StoredBar[] | undefined {
    if (toMs < this.coveredFrom) return undefined;
    const start = firstAtOrAfter(this.bars, fromMs);
    const end = firstAtOrAfter(this.bars, toMs + 1);
    if (fromMs < this.coveredFrom && end - start < limit) return undefined;
    return this.bars.slice(Math.max(start, end - limit), end);
  }
}

/** Index of the first bar with time >= t (bars ascending). */
export function firstAtOrAfter(bars: readonly StoredBar[], t: number): number {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((bars[mid] as StoredBar).time < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

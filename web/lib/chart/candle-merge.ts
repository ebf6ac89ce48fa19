// Merging a fetched run of candles (or indicator points) into the ones on the chart: the fetch is
// authoritative over the span it covers, points outside it stay. Used for gap fills after a
// reconnect or resync and for older pages when scrolling back. Pure.
import type { UTCTimestamp } from 'lightweight-charts';

export interface Candle {
  /** Bar open time, epoch seconds UTC (what lightweight-charts wants). */
  readonly time: UTCTimestamp;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

export interface Timed {
  readonly time: number;
}

export interface MergeResult<T extends Timed = Candle> {
  readonly candles: readonly T[];
  /** Earliest time whose candle was added, changed or removed; undefined: nothing changed. */
  readonly changedFrom: number | undefined;
}

export function sameCandle(a: Candle, b: Candle): boolean {
  return a.time === b.time && a.open === b.open && a.high === b.high && a.low === b.low && a.close === b.close && a.volume === b.volume;
}

/**
 * `existing` and `fetched` ascending and unique by time. `fetched` replaces everything in
 * [coverFrom, its last time] (coverFrom defaults to its first time): a candle there that the fetch
 * lacks is dropped (it was provisional, its bar never stored). Candles after the fetched span (the
 * forming one that arrived while the fetch was under way) are kept.
 */
export function mergeCandles(existing: readonly Candle[], fetched: readonly Candle[], coverFrom?: number): MergeResult {
  return mergeTimed(existing, fetched, coverFrom, sameCandle);
}

/** mergeCandles for any time-keyed points; `same` says whether a fetched point changes nothing. */
export function mergeTimed<T extends Timed>(
  existing: readonly T[],
  fetched: readonly T[],
  coverFrom: number | undefined,
  same: (a: T, b: T) => boolean,
): MergeResult<T> {
  const first = fetched[0];
  const last = fetched[fetched.length - 1];
  if (!first || !last) return { candles: existing, changedFrom: undefined };
  const from = Math.min(coverFrom ?? first.time, first.time);
  const to = last.time;
  const out: T[] = [];
  let changedFrom: number | undefined;
  const changed = (t: number): void => {
    if (changedFrom === undefined || t < changedFrom) changedFrom = t;
  };

  let i = 0;
  while (i < existing.length && (existing[i] as T).time < from) out.push(existing[i++] as T);
  let j = 0;
  while (i < existing.length && (existing[i] as T).time <= to) {
    const e = existing[i] as T;
    while (j < fetched.length && (fetched[j] as T).time < e.time) {
      changed((fetched[j] as T).time);
      out.push(fetched[j++] as T);
    }
    const f = fetched[j];
    if (f && f.time === e.time) {
      if (!same(e, f)) changed(f.time);
      out.push(f);
      j++;
    } else {
      changed(e.time); // in the covered span but not stored: drop it
    }
    i++;
  }
  while (j < fetched.length) {
    changed((fetched[j] as T).time);
    out.push(fetched[j++] as T);
  }
  while (i < existing.length) out.push(existing[i++] as T);
  return { candles: changedFrom === undefined ? existing : out, changedFrom };
}

/** Index of the candle at `time`, or of the first one after it (binary search). */
export function indexAtOrAfter(candles: readonly Timed[], time: number): number {
  let lo = 0;
  let hi = candles.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((candles[mid] as Timed).time < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// Covers [fromMs, toMs) with History/retrieveBars pages, which come newest first: walks end time backwards.
import type { OhlcBar } from '@barstream/core';

/** One retrieveBars call: at most `limit` bars with open time in [startMs, endMs], any order. */
export type BarPageFetcher = (startMs: number, endMs: number, limit: number) => Promise<readonly OhlcBar[]>;

/**
 * Bars with open time in [fromMs, toMs), ascending, one per open time. The Gateway returns the newest
 * `limit` bars of the range, so each next page ends at the oldest bar seen so far; whether the server
 * counts that end time inclusively does not matter, because duplicates are dropped by open time.
 */
export async function collectBarsBackwards(fetchPage: BarPageFetcher, fromMs: number, toMs: number, pageLimit: number): Promise<OhlcBar[]> {
  if (!(toMs > fromMs)) return [];
  if (!Number.isInteger(pageLimit) || pageLimit < 1) throw new RangeError(`pageLimit ${pageLimit} is not a positive integer`);
  const byTime = new Map<number, OhlcBar>();
  let endMs = toMs;
  for (;;) {
    const page = await fetchPage(fromMs, endMs, pageLimit);
    if (page.length === 0) break;
    let oldest = Number.POSITIVE_INFINITY;
    for (const bar of page) {
      oldest = Math.min(oldest, bar.time);
      if (bar.time >= fromMs && bar.time < toMs && !byTime.has(bar.time)) byTime.set(bar.time, bar);
    }
    // A short page is the whole rest of the range; a page reaching fromMs leaves nothing older to ask for.
    if (page.length < pageLimit || oldest <= fromMs) break;
    // The end always moves back, so the walk ends: with an inclusive end and a page of one, `oldest`
    // would otherwise repeat forever.
    endMs = Math.min(oldest, endMs - 1);
  }
  return [...byTime.values()].sort((a, b) => a.time - b.time);
}

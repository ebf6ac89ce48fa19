// Unit tests of the backwards pager: range coverage, duplicates, and termination on awkward servers.
import { describe, expect, it } from 'vitest';
import type { OhlcBar } from '@barstream/core';
import { collectBarsBackwards, type BarPageFetcher } from './projectx-bar-pager.ts';

const bar = (time: number): OhlcBar => ({ time, open: 1, high: 1, low: 1, close: 1, volume: 1 });
const times = Array.from({ length: 20 }, (_, i) => i * 10);

/** A server holding `times`, answering the newest `limit` bars in [start, end] (or [start, end) when exclusive). */
function server(exclusiveEnd: boolean, calls: Array<[number, number]>): BarPageFetcher {
  return async (start, end, limit) => {
    calls.push([start, end]);
    return times
      .filter((t) => t >= start && (exclusiveEnd ? t < end : t <= end))
      .sort((a, b) => b - a)
      .slice(0, limit)
      .map(bar);
  };
}

describe('collectBarsBackwards', () => {
  it.each([false, true])('covers [from, to) once, ascending (exclusive end: %s)', async (exclusiveEnd) => {
    const calls: Array<[number, number]> = [];
    const bars = await collectBarsBackwards(server(exclusiveEnd, calls), 25, 175, 4);
    expect(bars.map((b) => b.time)).toEqual([30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160, 170]);
    expect(calls[0]).toEqual([25, 175]);
    expect(calls.every(([start]) => start === 25)).toBe(true);
  });

  it('terminates with a page of one and an inclusive end, still returning the whole range', async () => {
    const calls: Array<[number, number]> = [];
    const bars = await collectBarsBackwards(server(false, calls), 0, 50, 1);
    expect(bars.map((b) => b.time)).toEqual([0, 10, 20, 30, 40]);
    expect(calls.length).toBeLessThan(12);
  });

  it('asks nothing for an empty range and rejects a bad page size', async () => {
    const calls: Array<[number, number]> = [];
    expect(await collectBarsBackwards(server(false, calls), 50, 50, 10)).toEqual([]);
    expect(calls).toEqual([]);
    await expect(collectBarsBackwards(server(false, calls), 0, 50, 0)).rejects.toThrow(RangeError);
  });
});

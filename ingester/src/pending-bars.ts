// Bars waiting for a flush, grouped by series (contract, timeframe) and taken a slice at a time so that
// each series' bars are stored in time order: a closed bar never commits after a later bar of its series.
import type { ContractBar } from '@barstream/core';

/** Series in the order they first had a bar waiting (first in, first out across contracts), each with
 * its waiting bars by bucket start. A newer state of a waiting bar replaces it in place. */
export class PendingBars {
  private readonly series = new Map<string, Map<number, ContractBar>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The bar's latest state waits for the next slice of its series. */
  set(bar: ContractBar): void {
    const bars = this.barsOf(bar);
    if (!bars.has(bar.time)) this.count++;
    bars.set(bar.time, bar);
  }

  /** A failed flush's bar goes back unless a newer state of it is waiting already. */
  restore(bar: ContractBar): void {
    const bars = this.barsOf(bar);
    if (bars.has(bar.time)) return;
    bars.set(bar.time, bar);
    this.count++;
  }

  /** At most `max` bars, series by series in the order they started waiting, each series' oldest
   * first. Taken in the Map's order of first arrival instead, a forming bar taken by one slice that
   * closes later (or a failed flush's bar put back) would wait behind a later bar of its series, and
   * a slice boundary between the two would commit the later one first. */
  take(max: number): ContractBar[] {
    const out: ContractBar[] = [];
    for (const [key, bars] of this.series) {
      if (out.length >= max) break;
      // Nearly always in time order already (one or two bars; a replay's burst in the order it came).
      const ordered = inTimeOrder(bars) ? bars.values() : [...bars.values()].sort((a, b) => a.time - b.time).values();
      for (const bar of ordered) {
        if (out.length >= max) break;
        out.push(bar);
        bars.delete(bar.time);
      }
      if (bars.size === 0) this.series.delete(key);
    }
    this.count -= out.length;
    return out;
  }

  private barsOf(bar: ContractBar): Map<number, ContractBar> {
    const key = `${bar.contractId}|${bar.unit}|${bar.value}`;
    let bars = this.series.get(key);
    if (!bars) {
      bars = new Map();
      this.series.set(key, bars);
    }
    return bars;
  }
}

function inTimeOrder(bars: ReadonlyMap<number, ContractBar>): boolean {
  let previous = -Infinity;
  for (const time of bars.keys()) {
    if (time < previous) return false;
    previous = time;
  }
  return true;
}

// The last bars a target was fed, to tell a repeated notification from a corrected bar. A ring of
// numbers, not of bar objects: a backfill adds 100,000s of bars and must not keep them alive.
import type { OhlcBar } from '@barstream/core';

const FIELDS = 6; // time, open, high, low, close, volume

export class RecentBars {
  private readonly data: Float64Array;
  /** Index (in bars) of the oldest kept bar, and how many are kept. */
  private start = 0;
  private size = 0;

  constructor(private readonly capacity: number) {
    this.data = new Float64Array(capacity * FIELDS);
  }

  /** Bars are added in feed order (ascending time). */
  add(bar: OhlcBar): void {
    const slot = ((this.start + this.size) % this.capacity) * FIELDS;
    const d = this.data;
    d[slot] = bar.time;
    d[slot + 1] = bar.open;
    d[slot + 2] = bar.high;
    d[slot + 3] = bar.low;
    d[slot + 4] = bar.close;
    d[slot + 5] = bar.volume;
    if (this.size < this.capacity) this.size++;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** True when `bar` was fed with exactly these prices and volume. */
  matches(bar: OhlcBar): boolean {
    const slot = this.find(bar.time);
    if (slot === undefined) return false;
    const d = this.data;
    return (
      d[slot + 1] === bar.open &&
      d[slot + 2] === bar.high &&
      d[slot + 3] === bar.low &&
      d[slot + 4] === bar.close &&
      d[slot + 5] === bar.volume
    );
  }

  clear(): void {
    this.start = 0;
    this.size = 0;
  }

  /** Binary search over the kept bars (ascending time), returning the bar's offset in `data`. */
  private find(time: number): number | undefined {
    let lo = 0;
    let hi = this.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const slot = ((this.start + mid) % this.capacity) * FIELDS;
      const t = this.data[slot] as number;
      if (t === time) return slot;
      if (t < time) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }
}

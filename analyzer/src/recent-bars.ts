// The last bars a target was fed, to tell a repeated notification from a corrected bar.
import type { OhlcBar } from '@barstream/core';

export class RecentBars {
  private readonly byTime = new Map<number, OhlcBar>();

  constructor(private readonly capacity: number) {}

  add(bar: OhlcBar): void {
    this.byTime.set(bar.time, bar);
    if (this.byTime.size > this.capacity) {
      const oldest = this.byTime.keys().next();
      if (!oldest.done) this.byTime.delete(oldest.value);
    }
  }

  /** True when `bar` was fed with exactly these prices and volume. */
  matches(bar: OhlcBar): boolean {
    const seen = this.byTime.get(bar.time);
    return seen !== undefined && seen.open === bar.open && seen.high === bar.high && seen.low === bar.low
      && seen.close === bar.close && seen.volume === bar.volume;
  }

  clear(): void {
    this.byTime.clear();
  }
}

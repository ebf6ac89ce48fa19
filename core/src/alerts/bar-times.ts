// The open times of a series' most recent closed bars, to count "bars since" a time (confluence windows).
import { MAX_WITHIN_BARS } from './rule-schema.ts';

/** Times kept: enough to answer every window a rule may ask for (MAX_WITHIN_BARS) exactly. */
const CAPACITY = MAX_WITHIN_BARS + 1;

export class BarTimes {
  private readonly times = new Float64Array(CAPACITY);
  /** Bars pushed so far (the series' closed-bar count). */
  count = 0;

  push(time: number): void {
    this.times[this.count % CAPACITY] = time;
    this.count++;
  }

  get latest(): number | undefined {
    return this.count === 0 ? undefined : this.times[(this.count - 1) % CAPACITY];
  }

  /**
   * Closed bars after `time` (0 when `time` is the latest bar); Infinity when older than the kept
   * times, or when the series has no bars yet (an age that cannot be known is never "within N bars").
   */
  barsSince(time: number): number {
    if (this.count === 0) return Infinity;
    const kept = Math.min(this.count, CAPACITY);
    // Binary search for the number of kept times > time (times increase with position).
    let lo = 0;
    let hi = kept;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const t = this.times[(this.count - kept + mid) % CAPACITY]!;
      if (t > time) hi = mid;
      else lo = mid + 1;
    }
    const after = kept - lo;
    return after === kept && this.count > kept ? Infinity : after;
  }
}

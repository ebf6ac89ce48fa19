// Column search: "the first bar j ≥ from whose value crosses a level", skipping 64-bar blocks that cannot
// hold it, so that levels never crossed cost n/64 steps instead of n (unmitigated gaps, unbroken swings).
const SHIFT = 6;
const BLOCK = 1 << SHIFT;

export class ColumnSearch {
  private data: Float64Array;
  private n = 0;
  private max = new Float64Array(16);
  private min = new Float64Array(16);

  constructor(data: Float64Array, length: number) {
    this.data = data;
    this.extend(data, length);
  }

  get length(): number {
    return this.n;
  }

  /** Takes the values up to `length` of `data` (the same column, possibly reallocated, grown at the end). */
  extend(data: Float64Array, length: number): void {
    this.data = data;
    const blocks = (length + BLOCK - 1) >> SHIFT;
    if (blocks > this.max.length) {
      const size = Math.max(blocks, this.max.length * 2);
      const max = new Float64Array(size);
      const min = new Float64Array(size);
      max.set(this.max);
      min.set(this.min);
      this.max = max;
      this.min = min;
    }
    for (let j = this.n; j < length; j++) {
      const v = data[j]!;
      const b = j >> SHIFT;
      if ((j & (BLOCK - 1)) === 0) {
        this.max[b] = v;
        this.min[b] = v;
      } else {
        if (v > this.max[b]!) this.max[b] = v;
        if (v < this.min[b]!) this.min[b] = v;
      }
    }
    this.n = length;
  }

  /** First j ≥ from with value ≥ level (strict: > level), or −1. */
  firstAbove(from: number, level: number, strict: boolean): number {
    const d = this.data;
    const n = this.n;
    let j = Math.max(0, from);
    while (j < n) {
      const b = j >> SHIFT;
      const m = this.max[b]!;
      const end = Math.min(n, (b + 1) << SHIFT);
      if (strict ? m > level : m >= level) {
        for (; j < end; j++) if (strict ? d[j]! > level : d[j]! >= level) return j;
      }
      j = end;
    }
    return -1;
  }

  /** First j ≥ from with value ≤ level (strict: < level), or −1. */
  firstBelow(from: number, level: number, strict: boolean): number {
    const d = this.data;
    const n = this.n;
    let j = Math.max(0, from);
    while (j < n) {
      const b = j >> SHIFT;
      const m = this.min[b]!;
      const end = Math.min(n, (b + 1) << SHIFT);
      if (strict ? m < level : m <= level) {
        for (; j < end; j++) if (strict ? d[j]! < level : d[j]! <= level) return j;
      }
      j = end;
    }
    return -1;
  }
}

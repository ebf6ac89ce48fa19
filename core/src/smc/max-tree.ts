// A max segment tree over a list of numbers: "the next index ≥ from whose value is ≥ a threshold" and
// "remove index b" in O(log n), so that scanning for the few matching entries skips the many that cannot.
export class MaxTree {
  private size = 1;
  private tree = new Float64Array(2);

  /** Loads `values` (negated when `negate`), reusing the buffer when it is large enough. */
  reset(values: readonly number[], negate: boolean): this {
    let size = 1;
    while (size < values.length) size *= 2;
    if (this.tree.length < 2 * size) this.tree = new Float64Array(2 * size);
    this.size = size;
    const tree = this.tree;
    tree.fill(-Infinity, size, 2 * size);
    for (let b = 0; b < values.length; b++) tree[size + b] = negate ? -values[b]! : values[b]!;
    for (let i = size - 1; i >= 1; i--) tree[i] = Math.max(tree[2 * i]!, tree[2 * i + 1]!);
    return this;
  }

  /** The smallest index b ≥ from whose value is ≥ threshold, or −1. */
  nextAtLeast(from: number, threshold: number): number {
    const { tree, size } = this;
    if (from >= size) return -1;
    let i = from + size;
    if (tree[i]! < threshold) {
      // Climb until a right sibling holds a value ≥ threshold, then descend to its leftmost such leaf.
      for (;;) {
        if ((i & 1) === 0 && tree[i + 1]! >= threshold) {
          i++;
          break;
        }
        i >>= 1;
        if (i <= 1) return -1;
      }
      while (i < size) i = tree[2 * i]! >= threshold ? 2 * i : 2 * i + 1;
    }
    return i - size;
  }

  /** Removes index b (its value becomes −∞). */
  remove(b: number): void {
    const tree = this.tree;
    let i = b + this.size;
    tree[i] = -Infinity;
    for (i >>= 1; i >= 1; i >>= 1) {
      const max = Math.max(tree[2 * i]!, tree[2 * i + 1]!);
      if (tree[i] === max) break; // ancestors above are unchanged too
      tree[i] = max;
    }
  }
}

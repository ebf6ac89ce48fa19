// A max segment tree over a fixed list of numbers: "the next index ≥ from whose value is ≥ a threshold" and
// "remove index b" in O(log n), so that scanning for the few matching entries skips the many that cannot.
export class MaxTree {
  private readonly size: number;
  private readonly tree: Float64Array;

  constructor(values: ArrayLike<number>) {
    let size = 1;
    while (size < values.length) size *= 2;
    this.size = size;
    const tree = new Float64Array(2 * size).fill(-Infinity);
    for (let b = 0; b < values.length; b++) tree[size + b] = values[b]!;
    for (let i = size - 1; i >= 1; i--) tree[i] = Math.max(tree[2 * i]!, tree[2 * i + 1]!);
    this.tree = tree;
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
    for (i >>= 1; i >= 1; i >>= 1) tree[i] = Math.max(tree[2 * i]!, tree[2 * i + 1]!);
  }
}

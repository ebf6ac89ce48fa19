// A binary min-heap of items by a numeric key: the order blocks or gaps a bar can mitigate or erase are its smallest keys.

export class KeyedHeap<T> {
  private items: T[] = [];
  private keys: number[] = [];

  get size(): number {
    return this.items.length;
  }

  /** The smallest key (Infinity when empty). */
  peekKey(): number {
    return this.keys.length === 0 ? Infinity : this.keys[0]!;
  }

  push(block: T, key: number): void {
    const { items: blocks, keys } = this;
    let i = blocks.length;
    blocks.push(block);
    keys.push(key);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent]! <= key) break;
      blocks[i] = blocks[parent]!;
      keys[i] = keys[parent]!;
      i = parent;
    }
    blocks[i] = block;
    keys[i] = key;
  }

  pop(): T {
    const { items: blocks, keys } = this;
    const top = blocks[0]!;
    const lastBlock = blocks.pop()!;
    const lastKey = keys.pop()!;
    const n = blocks.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && keys[child + 1]! < keys[child]!) child++;
        if (keys[child]! >= lastKey) break;
        blocks[i] = blocks[child]!;
        keys[i] = keys[child]!;
        i = child;
      }
      blocks[i] = lastBlock;
      keys[i] = lastKey;
    }
    return top;
  }

  /** A copy holding `copy(item)` of each item (the live engine replays provisional bars on it). */
  clone(copyItem: (item: T) => T): KeyedHeap<T> {
    const copy = new KeyedHeap<T>();
    copy.items = this.items.map(copyItem);
    copy.keys = this.keys.slice();
    return copy;
  }

  /** The items in heap order (no particular order). */
  all(): readonly T[] {
    return this.items;
  }
}

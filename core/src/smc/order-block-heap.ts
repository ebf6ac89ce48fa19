// A binary min-heap of order blocks by a numeric key: the blocks a bar can mitigate or erase are its smallest keys.

/** One order block's state (spec §5); values are the library's float32 numbers. */
export interface OrderBlock {
  readonly row: number;
  readonly dir: number;
  readonly top: number;
  readonly bottom: number;
  readonly volume: number;
  readonly percentage: number;
  mitigated: number;
  breaker: boolean;
  erased: boolean;
}

export class OrderBlockHeap {
  private blocks: OrderBlock[] = [];
  private keys: number[] = [];

  get size(): number {
    return this.blocks.length;
  }

  /** The smallest key (Infinity when empty). */
  peekKey(): number {
    return this.keys.length === 0 ? Infinity : this.keys[0]!;
  }

  push(block: OrderBlock, key: number): void {
    const { blocks, keys } = this;
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

  pop(): OrderBlock {
    const { blocks, keys } = this;
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

  /** A copy holding copies of the blocks (the live engine replays provisional bars on it). */
  clone(): OrderBlockHeap {
    const copy = new OrderBlockHeap();
    copy.blocks = this.blocks.map((b) => ({ ...b }));
    copy.keys = this.keys.slice();
    return copy;
  }

  /** The blocks in heap order (no particular order). */
  all(): readonly OrderBlock[] {
    return this.blocks;
  }
}

// MaxTree against a linear scan: next index at or above a threshold, with removals, on every list size up to 40.
import { describe, expect, it } from 'vitest';
import { MaxTree } from './max-tree.ts';

describe('MaxTree', () => {
  it('finds what a linear scan finds, before and after removals', () => {
    let seed = 5;
    const rnd = (k: number): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % k;
    const wrong: string[] = [];
    for (let n = 0; n <= 40; n++) {
      const values = Array.from({ length: n }, () => rnd(10));
      const tree = new MaxTree().reset(values, false);
      const live = values.slice();
      for (let round = 0; round < 3; round++) {
        for (let from = 0; from <= n + 1; from++) {
          for (let threshold = -1; threshold <= 10; threshold++) {
            let want = -1;
            for (let b = from; b < n; b++)
              if (live[b]! >= threshold) {
                want = b;
                break;
              }
            const got = tree.nextAtLeast(from, threshold);
            if (got !== want) wrong.push(`n ${n} round ${round} from ${from} threshold ${threshold}: ${got}, want ${want}`);
          }
        }
        if (n > 0) {
          const b = rnd(n);
          tree.remove(b);
          live[b] = -Infinity;
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

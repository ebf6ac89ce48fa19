import type { Trade } from '@barstream/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inIdOrder } from './coinbase-sequenced-trades.ts';

describe('inIdOrder', () => {
  it('orders trades as a stable sort by the number of their id does (newest first, ascending, ties, any order)', () => {
    const ids = fc.oneof(
      fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 30 }),
      fc.array(fc.integer({ min: 0, max: 2 ** 40 }), { maxLength: 30 }).map((a) => a.sort((x, y) => y - x)),
      fc.array(fc.integer({ min: 0, max: 2 ** 40 }), { maxLength: 30 }).map((a) => a.sort((x, y) => x - y)),
    );
    // Leading zeros and ids past 2^53 as the venue might send them: compared as Number() reads them.
    const text = fc.tuple(ids, fc.boolean()).map(([a, padded]) => a.map((id) => (padded && id % 3 === 0 ? `00${id}` : String(id))));
    fc.assert(
      fc.property(text, (tradeIds) => {
        // Each trade's time is its place in the frame, so a tie's order is visible.
        const trades: Trade[] = tradeIds.map((tradeId, k) => ({
          contractId: 'BTC-USD',
          time: k,
          price: 1,
          volume: 1,
          side: 'buy',
          tradeId,
        }));
        const expected = [...trades].sort((a, b) => Number(a.tradeId) - Number(b.tradeId));
        // With the ids as numbers beside the trades (the byte scan's), and read from their text: the same order,
        // and each id stays beside its trade.
        const withIds = [...trades];
        const ids = inIdOrder(withIds, tradeIds.map(Number));
        expect(withIds.map((t) => t.time)).toEqual(expected.map((t) => t.time));
        expect(ids).toEqual(withIds.map((t) => Number(t.tradeId)));
        expect(inIdOrder(trades)).toEqual(ids);
        expect(trades.map((t) => t.time)).toEqual(expected.map((t) => t.time));
      }),
      { seed: 17, numRuns: 500 },
    );
  });
});

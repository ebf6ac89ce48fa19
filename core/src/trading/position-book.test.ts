import { describe, expect, it } from 'vitest';
import { PositionBook } from './position-book.ts';

describe('PositionBook (FIFO lots)', () => {
  it('closes the oldest lots first and realizes their PnL; a fill through zero opens the other side', () => {
    const book = new PositionBook(10); // 10 units per tick-step
    book.apply(true, 2, 100);
    book.apply(true, 3, 110);
    expect(book.netSteps).toBe(5);
    expect(book.averageEntryTicks()).toBe(106);
    expect(book.unrealized(120)).toBe((2 * 20 + 3 * 10) * 10);
    // Sell 3 at 120: 2 from the lot at 100 (+20 each), 1 from the lot at 110 (+10).
    expect(book.apply(false, 3, 120)).toEqual({ realized: (2 * 20 + 10) * 10, closedSteps: 3, openedSteps: 0 });
    expect(book.openLots()).toEqual([{ steps: 2, ticks: 110 }]);
    // Sell 4 at 105: closes 2 at 110 (−5 each), opens a short of 2 at 105.
    expect(book.apply(false, 4, 105)).toEqual({ realized: -100, closedSteps: 2, openedSteps: 2 });
    expect(book.netSteps).toBe(-2);
    expect(book.unrealized(100)).toBe(2 * 5 * 10);
    expect(book.realized).toBe(500 - 100);
  });
});

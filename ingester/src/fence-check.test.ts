// IngestFence's bookkeeping of refusals (the database side is in tests/integration/ingest-lease-fence*.test.ts).
import { describe, expect, it } from 'vitest';
import { IngestFence, lostUnits } from './fence-check.ts';
import { TickBuffer } from './tick-buffer.ts';
import { tradeIdTextAt } from './tick-batch.ts';

/** What lease_fence_check raises (migration 020): BSF01, the refused units in DETAIL. */
const refusal = (units: unknown, detail = JSON.stringify(units)) => Object.assign(new Error('lease fence'), { code: 'BSF01', detail });

describe('lostUnits', () => {
  it('reads the units a refusal names, and nothing from a DETAIL that is not a list of names', () => {
    expect(lostUnits(refusal(['A', 'B']))).toEqual(['A', 'B']);
    expect(lostUnits(refusal(null, 'not json'))).toEqual([]);
    expect(lostUnits(refusal([1, 2]))).toEqual([]);
    expect(lostUnits(new Error('connection reset'))).toEqual([]);
  });
});

describe('IngestFence.refused', () => {
  it('counts the units named lost at once, tells the handler once, and holds them again only at a new epoch', () => {
    const epochs = new Map([
      ['A', 1],
      ['B', 1],
    ]);
    const fence = new IngestFence((u) => epochs.get(u), undefined);
    const told: string[][] = [];
    fence.onLost((units) => void told.push([...units]));
    const claimA = fence.claimContract('A');
    expect(claimA).toEqual({ units: ['A'], epochs: [1] });

    expect(fence.refused(refusal(['A']))).toEqual(['A']);
    expect(fence.refused(refusal(['A']))).toEqual([]);
    expect(told).toEqual([['A']]);
    expect(fence.holds('A')).toBe(false);
    expect(fence.holds('B')).toBe(true);
    expect(fence.claimContract('A')).toBeUndefined();
    expect(claimA && fence.stillHeld(claimA)).toBe(false);
    expect(fence.anyLost).toBe(true);

    // The lease manager lets A go, then takes it afresh: held again, at the new epoch only.
    epochs.delete('A');
    expect(fence.refused(refusal(['A']))).toEqual([]);
    epochs.set('A', 2);
    expect(fence.holds('A')).toBe(true);
    expect(fence.claimContract('A')).toEqual({ units: ['A'], epochs: [2] });
    expect(fence.anyLost).toBe(false);
  });

  it("keepHeld keeps each kept tick's own trade id, ticks without one before the first id included", () => {
    const fence = new IngestFence((u) => (u === 'A' ? 1 : u === 'B' ? 1 : undefined), undefined);
    fence.refused(refusal(['B']));
    const buffer = new TickBuffer();
    // Ticks before the buffer's first id leave holes in its id array.
    // Numbered ids (8, 9: kept as numbers, tick-batch.ts' tradeNo) beside text ones.
    const ids = [undefined, undefined, 'a2', 'b3', 'a4', undefined, 'a6', 8, 9];
    ids.forEach((tradeId, i) =>
      buffer.append({
        contractId: i === 1 || i === 3 || i === 8 ? 'B' : 'A',
        time: 1_767_225_600_000 + i,
        price: 100 + i,
        volume: 1,
        side: 'buy',
        ...(tradeId === undefined ? {} : { tradeId }),
      }),
    );
    const { ticks, dropped } = fence.keepHeld([], buffer.take(10));
    expect(dropped).toBe(3);
    expect(Array.from(ticks.price)).toEqual([100, 102, 104, 105, 106, 107]);
    expect(Array.from({ length: ticks.length }, (_, i) => tradeIdTextAt(ticks, i))).toEqual([undefined, 'a2', 'a4', undefined, 'a6', '8']);
  });

  it('a whole-feed fence loses every contract with the feed', () => {
    const fence = new IngestFence((u) => (u === 'feed' ? 7 : undefined), 'feed');
    expect(fence.claimContract('X')).toEqual({ units: ['feed'], epochs: [7] });
    expect(fence.refused(refusal(['feed']))).toEqual(['feed']);
    expect(fence.holds('X')).toBe(false);
    expect(fence.holds('Y')).toBe(false);
  });
});

import type { ContractBar } from '@barstream/core';
import { describe, expect, it } from 'vitest';
import { PendingBars } from './pending-bars.ts';

const MINUTE = 60_000;
const bar = (contractId: string, minute: number, isClosed: boolean, close = 1): ContractBar => ({
  contractId,
  unit: 2,
  value: 1,
  time: minute * MINUTE,
  open: 1,
  high: 2,
  low: 0.5,
  close,
  volume: 1,
  isClosed,
});
const label = (b: ContractBar): string => `${b.contractId}@${b.time / MINUTE}${b.isClosed ? 'C' : 'F'}`;

describe('PendingBars', () => {
  it('takes a series’ bars in time order though the older one arrived last', () => {
    const pending = new PendingBars();
    pending.set(bar('A', 0, false));
    pending.set(bar('B', 0, false));
    expect(pending.take(1).map(label)).toEqual(['A@0F']);
    // A's 0 was taken forming; 1 forms, then 0 closes (the grace) and arrives after it.
    pending.set(bar('A', 1, false));
    pending.set(bar('A', 0, true));
    expect(pending.size).toBe(3);
    expect(pending.take(2).map(label)).toEqual(['B@0F', 'A@0C']);
    expect(pending.take(10).map(label)).toEqual(['A@1F']);
    expect(pending.size).toBe(0);
  });

  it('replaces a waiting bar with its newer state in place; a failed copy does not replace it', () => {
    const pending = new PendingBars();
    pending.set(bar('A', 0, false, 1));
    pending.set(bar('B', 0, false));
    pending.set(bar('A', 0, true, 2));
    pending.restore(bar('A', 0, false, 3));
    pending.restore(bar('C', 0, true));
    expect(pending.size).toBe(3);
    const taken = pending.take(10);
    expect(taken.map(label)).toEqual(['A@0C', 'B@0F', 'C@0C']);
    expect(taken[0]?.close).toBe(2);
  });

  it('stops at the limit within a series, leaving its later bars first in line', () => {
    const pending = new PendingBars();
    for (const m of [3, 1, 2, 0]) pending.set(bar('A', m, true));
    pending.set(bar('B', 0, true));
    expect(pending.take(3).map(label)).toEqual(['A@0C', 'A@1C', 'A@2C']);
    expect(pending.take(3).map(label)).toEqual(['A@3C', 'B@0C']);
  });
});

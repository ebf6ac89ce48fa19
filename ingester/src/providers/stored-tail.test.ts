import type { Trade } from '@barstream/core';
import { describe, expect, it } from 'vitest';
import { afterStored } from './stored-tail.ts';

const trade = (contractId: string, time: number, price: number): Trade => ({ contractId, time, price, volume: 1, side: 'unknown' });

describe('afterStored', () => {
  const file = [
    trade('A', 1, 10),
    trade('B', 1, 20),
    trade('A', 2, 11),
    trade('A', 2, 12),
    trade('A', 2, 13),
    trade('B', 3, 21),
    trade('A', 4, 14),
  ];

  it('skips per contract what is before the tail and the stored ties at it', () => {
    const rest = afterStored(file, new Map([['A', { time: 2, count: 2 }]]));
    expect(rest.map((t) => `${t.contractId}${t.price}`)).toEqual(['B20', 'A13', 'B21', 'A14']);
  });

  it('keeps everything of a contract with nothing stored, and nothing of one stored to its end', () => {
    const rest = afterStored(file, new Map([['B', { time: 3, count: 1 }]]));
    expect(rest.map((t) => `${t.contractId}${t.price}`)).toEqual(['A10', 'A11', 'A12', 'A13', 'A14']);
  });

  it('resumes after the last tie when all ticks at the tail are stored', () => {
    const rest = afterStored(file, new Map([['A', { time: 2, count: 3 }]]));
    expect(rest.filter((t) => t.contractId === 'A').map((t) => t.price)).toEqual([14]);
  });
});

import type { Trade } from '@barstream/core';
import { describe, expect, it } from 'vitest';
import { rejectReason } from './trade-validator.ts';

const options = { contracts: new Set(['BTC-USD']) };
const trade = (tradeId: Trade['tradeId']): Trade => ({
  contractId: 'BTC-USD',
  time: 1_767_225_600_000,
  price: 1,
  volume: 1,
  side: 'buy',
  tradeId,
});

describe('rejectReason: trade ids', () => {
  it('takes a text id and a numbered one from 0 to 2^53 - 1', () => {
    for (const id of [undefined, '007', 'SIM.X-1-2', 0, 800_000_001, Number.MAX_SAFE_INTEGER])
      expect(rejectReason(trade(id), options)).toBeUndefined();
  });

  it('refuses a number that stands for no digits of its own, naming it', () => {
    for (const id of [-1, 1.5, Number.MAX_SAFE_INTEGER + 1, NaN])
      expect(rejectReason(trade(id), options)).toBe(`trade id ${id} is a number but not a whole number from 0 to 2^53 - 1`);
  });
});

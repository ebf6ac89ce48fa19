import { describe, expect, it } from 'vitest';
import { trendsHref } from './trends-href.ts';

describe('trendsHref', () => {
  it('spells the query as URLSearchParams does, with the bar in epoch seconds', () => {
    for (const [contract, tf] of [
      ['SIM.MES', '5m'],
      ['CON.F.US.MES.M25', '1h'],
      ['a b&c=d/é?', '1mo'],
      ["x!'()*~", '1d'],
    ] as const) {
      expect(trendsHref(contract, tf)).toBe(`/trends?${new URLSearchParams({ contract, tf }).toString()}`);
    }
    expect(trendsHref('SIM.MES', '5m', Date.UTC(2025, 2, 17, 14, 5))).toBe('/trends?contract=SIM.MES&tf=5m&at=1742220300');
  });
});

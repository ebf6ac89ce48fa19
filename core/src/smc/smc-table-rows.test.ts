import { describe, expect, it } from 'vitest';
import { smcTableOf, smcTableRow } from './smc-table-rows.ts';

const timeAt = (i: number): number => 1_700_000_000_000 + i * 60_000;

describe('smcTableRow', () => {
  it('maps an empty library row to undefined (the stored row is deleted)', () => {
    expect(smcTableRow('fvg', 3, [NaN, NaN, NaN, NaN], true, timeAt)).toBeUndefined();
  });

  it('maps swings, with the row position and its bar time', () => {
    const low = smcTableRow('swing_highs_lows', 7, [-1, 4999.75], false, timeAt);
    expect(low).toMatchObject({ table: 'smc_events', kind: 'swing_low', direction: -1, level: 4999.75, barIndex: 7, barTime: timeAt(7) });
    expect(smcTableRow('swing_highs_lows', 8, [1, 5010], true, timeAt)).toMatchObject({ kind: 'swing_high', confirmed: true });
  });

  it('maps BOS, CHoCH and the orphan break rows of bos_choch', () => {
    expect(smcTableRow('bos_choch', 10, [1, NaN, 5000.25, 14], true, timeAt)).toMatchObject({
      kind: 'bos',
      direction: 1,
      level: 5000.25,
      brokenIndex: 14,
      brokenTime: timeAt(14),
    });
    expect(smcTableRow('bos_choch', 10, [NaN, -1, 4990, 12], true, timeAt)).toMatchObject({ kind: 'choch', direction: -1 });
    expect(smcTableRow('bos_choch', 10, [NaN, NaN, NaN, 12], false, timeAt)).toMatchObject({
      kind: 'break',
      direction: null,
      level: null,
      brokenIndex: 12,
    });
  });

  it("maps FVG and OB, reading MitigatedIndex 0 as 'not mitigated'", () => {
    expect(smcTableRow('fvg', 5, [1, 10, 9, 0], false, timeAt)).toMatchObject({
      table: 'zones',
      side: 1,
      top: 10,
      bottom: 9,
      mitigatedIndex: null,
      mitigatedTime: null,
    });
    expect(smcTableRow('ob', 5, [-1, 10, 9, 1234, 9, 55.5], true, timeAt)).toMatchObject({
      side: -1,
      volume: 1234,
      percentage: 55.5,
      mitigatedIndex: 9,
      mitigatedTime: timeAt(9),
    });
  });

  it('maps liquidity: level as top and bottom, End and Swept as positions', () => {
    expect(smcTableRow('liquidity', 4, [1, 20.5, 30, 0], false, timeAt)).toMatchObject({
      top: 20.5,
      bottom: 20.5,
      endIndex: 30,
      endTime: timeAt(30),
      mitigatedIndex: null,
    });
  });

  it('rejects a row with the wrong number of columns, naming the study', () => {
    expect(() => smcTableRow('ob', 1, [1, 2], true, timeAt)).toThrow(/ob row 1: expected 6 values, got 2/);
  });

  it('knows which table each study writes', () => {
    expect(smcTableOf('bos_choch')).toBe('smc_events');
    expect(smcTableOf('liquidity')).toBe('zones');
  });
});

// Every known-answer file of smartmoneyconcepts 0.0.27 (../shared/data/smc-eurusd) reproduced exactly.
import { describe, expect, it } from 'vitest';
import { hasSmcEurusd, readNumberColumns } from '../../../tests/support/smc-shared-data.ts';
import { bosChoch } from './bos-choch.ts';
import { fvg } from './fvg.ts';
import { liquidity } from './liquidity.ts';
import { orderBlocks } from './order-blocks.ts';
import { toSmcBars } from './smc-bars.ts';
import { SMC_STUDY_COLUMNS, type SmcColumns, type SmcStudy } from './smc-params.ts';
import { swingHighsLows } from './swing-highs-lows.ts';

/** Columns the library keeps in float32 and its files print in short float32 text (README of the data). */
const FLOAT32: Partial<Record<SmcStudy, readonly string[]>> = {
  bos_choch: ['Level'],
  ob: ['Top', 'Bottom', 'OBVolume', 'Percentage'],
  liquidity: ['Liquidity', 'Level', 'End', 'Swept'],
};

/** Row indices where `ours` differs from the file: exact doubles (NaN = NaN), float32 columns after rounding both. */
function mismatches<S extends SmcStudy>(study: S, ours: SmcColumns<S>, file: string): string[] {
  const expected = readNumberColumns(file);
  const bad: string[] = [];
  for (const column of SMC_STUDY_COLUMNS[study]) {
    const want = expected[column];
    const got = (ours as Record<string, Float64Array>)[column]!;
    if (!want) throw new Error(`${file}: no column ${column}`);
    expect(got.length, `${file} ${column} rows`).toBe(want.length);
    const f32 = FLOAT32[study]?.includes(column) ?? false;
    for (let i = 0; i < want.length; i++) {
      const w = f32 ? Math.fround(want[i]!) : want[i]!;
      const g = f32 ? Math.fround(got[i]!) : got[i]!;
      if (!Object.is(w, g) && !(Number.isNaN(w) && Number.isNaN(g))) bad.push(`row ${i} ${column}: want ${w}, got ${g}`);
    }
  }
  return bad;
}

describe.skipIf(!hasSmcEurusd)('smartmoneyconcepts 0.0.27 known answers on EURUSD 15m', () => {
  const input = hasSmcEurusd ? readNumberColumns('EURUSD_15M.csv') : {};
  const bars = toSmcBars(
    (input.Open ?? []).map((open, i) => ({
      time: i,
      open,
      high: input.High![i]!,
      low: input.Low![i]!,
      close: input.Close![i]!,
      volume: input.Volume![i]!,
    })),
  );
  const swings = swingHighsLows(bars, 5);

  it('has the 24,424 input bars', () => {
    expect(bars.length).toBe(24_424);
  });
  it('fvg (join_consecutive = false)', () => {
    expect(mismatches('fvg', fvg(bars, false), 'fvg_result_data.csv').slice(0, 10)).toEqual([]);
  });
  it('fvg (join_consecutive = true)', () => {
    expect(mismatches('fvg', fvg(bars, true), 'fvg_consecutive_result_data.csv').slice(0, 10)).toEqual([]);
  });
  it('swing_highs_lows (swing_length = 5)', () => {
    expect(mismatches('swing_highs_lows', swings, 'swing_highs_lows_result_data.csv').slice(0, 10)).toEqual([]);
  });
  it('bos_choch (close_break = true)', () => {
    expect(mismatches('bos_choch', bosChoch(bars, swings, true), 'bos_choch_result_data.csv').slice(0, 10)).toEqual([]);
  });
  it('ob (close_mitigation = false)', () => {
    expect(mismatches('ob', orderBlocks(bars, swings.HighLow, false), 'ob_result_data.csv').slice(0, 10)).toEqual([]);
  });
  it('liquidity (range_percent = 0.01)', () => {
    expect(mismatches('liquidity', liquidity(bars, swings, 0.01), 'liquidity_result_data.csv').slice(0, 10)).toEqual([]);
  });
});

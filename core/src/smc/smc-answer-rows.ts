// The live engine's whole table after a bar, without replaying every bar: the batch answer on the bars
// so far with each row tagged as SmcLiveEngine tags it (spec §7.3). A restart or backfill writes this
// (the batch runs at ≥ 1,000,000 bars/s; the live engine regroups liquidity at every bar, so replaying
// a long window through it costs O(bars × swings)). smc-answer-rows.test.ts checks it against the engine.
import type { SmcRowChange } from './published-rows.ts';
import { smcBatch } from './smc-batch.ts';
import type { SmcBars } from './smc-bars.ts';
import { SMC_STUDIES, SMC_STUDY_COLUMNS, type SmcParams, type SmcStudy } from './smc-params.ts';

/** Every non-empty row of the five studies over `bars`, tagged confirmed exactly when the live engine
 * fed the same bars would have it confirmed. */
export function smcAnswerRows(bars: SmcBars, params: SmcParams): SmcRowChange[] {
  const batch = smcBatch(bars, params);
  const columns = (study: SmcStudy): Float64Array[] =>
    SMC_STUDY_COLUMNS[study].map((c) => (batch[study] as Record<string, Float64Array>)[c]!);

  // Swings: the open run's shown member and the newest bar's end label are provisional (the last two
  // shown rows once any candidate exists); every other shown swing is settled (final).
  const highLow = batch.swing_highs_lows.HighLow;
  const swings: number[] = [];
  for (let i = 0; i < bars.length; i++) if (!Number.isNaN(highLow[i]!)) swings.push(i);
  const settled = swings.slice(0, Math.max(0, swings.length - 2));
  const swingIndex = new Map<number, number>();
  swings.forEach((row, k) => swingIndex.set(row, k));
  // A BOS/CHOCH row's candidate is final once its break is known and every swing that could delete it
  // (rows ≤ break − 2) is settled: the break lies before the second-to-last settled swing + 2.
  const unsettledFrom = settled.length >= 2 ? settled[settled.length - 2]! : 0;

  const tag: Record<SmcStudy, (row: number, values: readonly number[]) => boolean> = {
    fvg: (_row, v) => v[3] !== 0 && !Number.isNaN(v[3]!), // confirmed by its mitigation
    swing_highs_lows: (row) => swingIndex.get(row)! < settled.length,
    bos_choch: (row, v) => {
      const k = swingIndex.get(row);
      const onSettledSwings = k !== undefined && k + 2 < settled.length;
      return onSettledSwings && settled.length >= 2 && v[3]! - 2 < unsettledFrom;
    },
    ob: () => false, // a shown block can be erased at any later bar
    liquidity: () => false, // the tolerance depends on the range of all bars so far
  };

  const out: SmcRowChange[] = [];
  for (const study of SMC_STUDIES) {
    const cols = columns(study);
    const first = cols[0]!;
    for (let row = 0; row < bars.length; row++) {
      // Every study's first column is empty exactly when its row is, except bos_choch's orphan rows
      // (BrokenIndex only): test the rest only where the first is NaN (1,000,000 rows: no arrays made for empties).
      if (Number.isNaN(first[row]!) && cols.every((c) => Number.isNaN(c[row]!))) continue;
      const values = cols.map((c) => c[row]!);
      out.push({ study, row, values, confirmed: tag[study](row, values) });
    }
  }
  return out;
}

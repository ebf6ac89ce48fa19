// Replaying bars through the SMC live engine while checking its accumulated rows against the batch answer.
import type { OhlcBar } from '../../core/src/bar.ts';
import type { SmcRowChange } from '../../core/src/smc/published-rows.ts';
import { smcBatch } from '../../core/src/smc/smc-batch.ts';
import { SmcLiveEngine } from '../../core/src/smc/smc-live-engine.ts';
import { SMC_STUDIES, SMC_STUDY_COLUMNS, type SmcParams, type SmcStudy } from '../../core/src/smc/smc-params.ts';

export interface ReplayReport {
  checked: number;
  mismatches: string[];
  confirmedChanged: string[];
  confirmedRows: Record<SmcStudy, number>;
  revisions: number;
}

const same = (a: number, b: number): boolean => a === b || (Number.isNaN(a) && Number.isNaN(b));

/** Replays `bars` through the live engine; at bars where `check(t)` holds, compares its table with the batch. */
export function replay(bars: readonly OhlcBar[], params: SmcParams, check: (t: number) => boolean): ReplayReport {
  const engine = new SmcLiveEngine(params);
  const n = bars.length;
  const table = Object.fromEntries(SMC_STUDIES.map((s) => [s, SMC_STUDY_COLUMNS[s].map(() => new Float64Array(n).fill(NaN))])) as Record<
    SmcStudy,
    Float64Array[]
  >;
  const confirmed = Object.fromEntries(SMC_STUDIES.map((s) => [s, new Set<number>()])) as Record<SmcStudy, Set<number>>;
  const report: ReplayReport = {
    checked: 0,
    mismatches: [],
    confirmedChanged: [],
    confirmedRows: { fvg: 0, swing_highs_lows: 0, bos_choch: 0, ob: 0, liquidity: 0 },
    revisions: 0,
  };
  const apply = (t: number, c: SmcRowChange): void => {
    const columns = table[c.study];
    const changed = columns.some((col, k) => !same(col[c.row]!, c.values[k]!));
    if (confirmed[c.study].has(c.row)) report.confirmedChanged.push(`bar ${t}: ${c.study} row ${c.row} changed after it was confirmed`);
    if (changed && columns.some((col) => !Number.isNaN(col[c.row]!))) report.revisions++;
    columns.forEach((col, k) => {
      col[c.row] = c.values[k]!;
    });
    if (c.confirmed) confirmed[c.study].add(c.row);
  };
  for (let t = 0; t < n; t++) {
    for (const c of engine.update(bars[t]!)) apply(t, c);
    if (!check(t) || report.mismatches.length > 0) continue;
    report.checked++;
    const batch = smcBatch(engine.bars, params);
    for (const study of SMC_STUDIES) {
      const want = batch[study] as Record<string, Float64Array>;
      SMC_STUDY_COLUMNS[study].forEach((name, k) => {
        const got = table[study][k]!;
        for (let row = 0; row <= t; row++) {
          if (!same(got[row]!, want[name]![row]!)) {
            report.mismatches.push(`bar ${t}: ${study}.${name}[${row}] live ${got[row]} batch ${want[name]![row]}`);
            return;
          }
        }
      });
    }
  }
  for (const s of SMC_STUDIES) report.confirmedRows[s] = confirmed[s].size;
  return report;
}

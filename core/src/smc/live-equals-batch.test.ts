// Live == batch at every bar on the real MES bars: after each closed bar the live engine's accumulated rows
// equal the batch answer on the bars so far, and a row tagged confirmed never changes afterwards.
import { describe, expect, it } from 'vitest';
import { hasSharedData, readShared } from '../../../tests/support/shared-data.ts';
import type { OhlcBar } from '../bar.ts';
import { parseMesCsv } from '../strategies/mes-csv.ts';
import type { SmcRowChange } from './published-rows.ts';
import { smcBatch } from './smc-batch.ts';
import { SmcLiveEngine } from './smc-live-engine.ts';
import { SMC_STUDIES, SMC_STUDY_COLUMNS, smcParams, type SmcParams, type SmcStudy } from './smc-params.ts';

interface ReplayReport {
  checked: number;
  mismatches: string[];
  confirmedChanged: string[];
  confirmedRows: Record<SmcStudy, number>;
  revisions: number;
}

const same = (a: number, b: number): boolean => a === b || (Number.isNaN(a) && Number.isNaN(b));

/** Replays `bars` through the live engine; at bars where `check(t)` holds, compares its table with the batch. */
function replay(bars: readonly OhlcBar[], params: SmcParams, check: (t: number) => boolean): ReplayReport {
  const engine = new SmcLiveEngine(params);
  const n = bars.length;
  const table = Object.fromEntries(SMC_STUDIES.map((s) => [s, SMC_STUDY_COLUMNS[s].map(() => new Float64Array(n).fill(NaN))])) as Record<SmcStudy, Float64Array[]>;
  const confirmed = Object.fromEntries(SMC_STUDIES.map((s) => [s, new Set<number>()])) as Record<SmcStudy, Set<number>>;
  const report: ReplayReport = { checked: 0, mismatches: [], confirmedChanged: [], confirmedRows: { fvg: 0, swing_highs_lows: 0, bos_choch: 0, ob: 0, liquidity: 0 }, revisions: 0 };
  const apply = (t: number, c: SmcRowChange): void => {
    const columns = table[c.study];
    const changed = columns.some((col, k) => !same(col[c.row]!, c.values[k]!));
    if (confirmed[c.study].has(c.row)) report.confirmedChanged.push(`bar ${t}: ${c.study} row ${c.row} changed after it was confirmed`);
    if (changed && columns.some((col) => !Number.isNaN(col[c.row]!))) report.revisions++;
    columns.forEach((col, k) => { col[c.row] = c.values[k]!; });
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

const PARAMS: Partial<SmcParams>[] = [
  { swing_length: 5 },
  { swing_length: 5, close_break: false, join_consecutive: true, close_mitigation: true },
  { swing_length: 10, join_consecutive: true, range_percent: 0.05 },
  { swing_length: 1, close_break: false },
  { swing_length: 2, close_mitigation: true },
];

function expectExact(report: ReplayReport, expectedChecks: number): void {
  expect(report.mismatches).toEqual([]);
  expect(report.confirmedChanged).toEqual([]);
  expect(report.checked).toBe(expectedChecks);
  // The replay exercised something: swings and gaps got confirmed along the way.
  expect(report.confirmedRows.swing_highs_lows).toBeGreaterThan(3);
  expect(report.confirmedRows.fvg).toBeGreaterThan(3);
}

describe.skipIf(!hasSharedData)('SMC live engine equals the batch on MES bars', () => {
  const load = (file: string): OhlcBar[] => (hasSharedData ? parseMesCsv(readShared(file)).bars : []);
  const h4 = load('MES_M25_4h.csv');
  const h1 = load('MES_M25_1h.csv');
  const m5 = load('MES_M25_5m.csv');

  for (const p of PARAMS) {
    const params = smcParams(p);
    const label = JSON.stringify(p);
    it(`4h, every bar, ${label}`, () => expectExact(replay(h4, params, () => true), h4.length));
    it(`1h, every bar, ${label}`, () => expectExact(replay(h1, params, () => true), h1.length));
  }

  // 5m: 10,000 bars; the batch is checked on every 97th bar, the first 40 and the last 40 (a full check of
  // every prefix is quadratic and belongs to a benchmark, not the unit suite).
  for (const p of [PARAMS[0]!, PARAMS[1]!, PARAMS[2]!]) {
    const params = smcParams(p);
    it(`5m, sampled bars, ${JSON.stringify(p)}`, () => {
      const n = m5.length;
      const sampled = (t: number): boolean => t < 40 || t >= n - 40 || t % 97 === 0;
      let expected = 0;
      for (let t = 0; t < n; t++) if (sampled(t)) expected++;
      const report = replay(m5, params, sampled);
      expectExact(report, expected);
      // Provisional rows do get revised on real data: the tags are not decoration.
      expect(report.revisions).toBeGreaterThan(0);
    });
  }
});

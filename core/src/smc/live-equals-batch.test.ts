// Live == batch at every bar on the real MES bars: after each closed bar the live engine's accumulated rows
// equal the batch answer on the bars so far, and a row tagged confirmed never changes afterwards.
import { describe, expect, it } from 'vitest';
import { hasSharedData, readShared } from '../../../tests/support/shared-data.ts';
import { replay, type ReplayReport } from '../../../tests/support/smc-replay.ts';
import type { OhlcBar } from '../bar.ts';
import { parseMesCsv } from '../strategies/mes-csv.ts';
import { smcParams, type SmcParams } from './smc-params.ts';

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
    it(`4h, every bar, ${label}`, () =>
      expectExact(
        replay(h4, params, () => true),
        h4.length,
      ));
    it(`1h, every bar, ${label}`, () =>
      expectExact(
        replay(h1, params, () => true),
        h1.length,
      ));
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

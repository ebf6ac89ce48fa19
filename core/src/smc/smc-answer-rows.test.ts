// smcAnswerRows (batch + tags) equals the live engine's published table after every checked bar:
// values and confirmed tags, on random tie-heavy series with every parameter combination and on MES.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasSharedData, MES_DIR } from '../../../tests/support/shared-data.ts';
import type { OhlcBar } from '../bar.ts';
import { parseMesCsv } from '../strategies/mes-csv.ts';
import { smcAnswerRows } from './smc-answer-rows.ts';
import { SmcLiveEngine } from './smc-live-engine.ts';
import { smcParams, type SmcParams } from './smc-params.ts';
import { barSteps, smcParamCombinations, stepsToBars } from './test-arbitraries.ts';

const text = (values: readonly number[], confirmed: boolean): string => `${values.map(String).join(',')}|${confirmed}`;

/** Feeds `bars` to the live engine; at bars where `check(t)` holds, returns the differences with smcAnswerRows. */
function differences(bars: readonly OhlcBar[], params: SmcParams, check: (t: number) => boolean): string[] {
  const engine = new SmcLiveEngine(params);
  const shown = new Map<string, string>();
  for (let t = 0; t < bars.length; t++) {
    for (const c of engine.update(bars[t]!)) {
      const key = `${c.study}|${c.row}`;
      if (c.values.every((v) => Number.isNaN(v))) shown.delete(key);
      else shown.set(key, text(c.values, c.confirmed));
    }
    if (!check(t)) continue;
    const answer = new Map(smcAnswerRows(engine.bars, params).map((r) => [`${r.study}|${r.row}`, text(r.values, r.confirmed)]));
    const bad: string[] = [];
    for (const [k, v] of shown) if (answer.get(k) !== v) bad.push(`bar ${t}: ${k} live ${v} answer ${answer.get(k)}`);
    for (const k of answer.keys()) if (!shown.has(k)) bad.push(`bar ${t}: ${k} only in the answer ${answer.get(k)}`);
    if (bad.length > 0) return bad.slice(0, 5);
  }
  return [];
}

const walks = barSteps(1, 300);

describe('smcAnswerRows equals the live engine after every bar', () => {
  it('on random series, every parameter combination', () => {
    fc.assert(
      fc.property(walks, smcParamCombinations, (steps, p) => {
        expect(differences(stepsToBars(steps), smcParams(p), () => true)).toEqual([]);
      }),
      { numRuns: 150, seed: 20_261_206 },
    );
  });

  it.skipIf(!hasSharedData)(
    'on MES 4h and 1h (every bar) and 5m (every 50th bar)',
    () => {
      const read = (tf: string) => parseMesCsv(readFileSync(`${MES_DIR}MES_M25_${tf}.csv`, 'utf8')).bars;
      expect(differences(read('4h'), smcParams({ swing_length: 5 }), () => true)).toEqual([]);
      expect(differences(read('1h'), smcParams({ swing_length: 10, close_break: false, join_consecutive: true }), () => true)).toEqual([]);
      expect(differences(read('5m'), smcParams({ swing_length: 20, close_mitigation: true }), (t) => t % 50 === 49)).toEqual([]);
    },
    300_000,
  );
});

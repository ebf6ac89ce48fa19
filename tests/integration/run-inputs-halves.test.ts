// A backtest's bars read as two halves on two connections at once (readClosedBarColumns over a long
// range) are the bars read in one piece, in order, whether the halves fit the room the range leaves them
// (bars on the timeframe's grid, with session gaps) or not (more bars than the grid holds).
import type { OhlcBar } from '@barstream/core';
import type { Pool } from '@barstream/core/node';
import { describe, expect, it } from 'vitest';
import { readClosedBarColumns, readClosedBars } from '../../trader/src/run-inputs.ts';
import { runSeries } from '../../trader/src/run-series.ts';
import { backtestOf, emaCrossRun, FIVE_MIN, START, syntheticBars } from '../support/trading-fixture.ts';
import { useTradingDatabase } from '../support/trading-database.ts';

let pool: Pool;
const BARS = syntheticBars(500);
const SERIES = runSeries(backtestOf(emaCrossRun('test-halves'), BARS.length));

useTradingDatabase(BARS, (ground) => ({ pool } = ground));

describe('bars read as two halves', () => {
  it('are the bars read in one piece, for any range', async () => {
    const last = (BARS[BARS.length - 1] as OhlcBar).time;
    const ranges: [number, number][] = [
      [START - 1, last],
      [START - 1, last + 50 * FIVE_MIN],
      [START + 37 * FIVE_MIN, START + 211 * FIVE_MIN - 1],
      [START - 1, START + FIVE_MIN],
    ];
    for (const [from, until] of ranges) {
      const whole = await readClosedBars(pool, SERIES, from, until);
      const halves = await readClosedBarColumns(pool, SERIES, from, until, 1);
      expect(halves.toBars()).toEqual(whole);
      // A grid twice as coarse as the bars leaves each half too little room: the halves are joined by copying.
      const crowded = await readClosedBarColumns(pool, { ...SERIES, stepMs: 2 * FIVE_MIN }, from, until, 1);
      expect(crowded.toBars()).toEqual(whole);
    }
    expect((await readClosedBars(pool, SERIES, START - 1, last)).length).toBe(BARS.length);
  });
});

// A run's stored signals read by binary COPY (readSignals) are what the text query before it read, value
// for value: times with microseconds (a trigger_time in details), NULL and non-NULL prices, types the run
// does not map left out, other analyzers, contracts and timeframes left out, each bound exclusive below
// and inclusive above, in trigger, then bar time, then type order.
import type { Pool } from '@barstream/core/node';
import { describe, expect, it } from 'vitest';
import { readSignals, type RunSignal } from '../../trader/src/run-inputs.ts';
import { type RunSeries, runSeries } from '../../trader/src/run-series.ts';
import { ANALYZER, backtestOf, CONTRACT, emaCrossRun, FIVE_MIN, START } from '../support/trading-fixture.ts';
import { useTradingDatabase } from '../support/trading-database.ts';

let pool: Pool;
const SERIES = runSeries(backtestOf(emaCrossRun('test-signals'), 100));

useTradingDatabase([], (ground) => ({ pool } = ground));

/** The query readSignals ran as pg text rows before it read by binary COPY. */
async function readSignalsAsText(series: RunSeries, from: number | undefined, until: number | undefined): Promise<RunSignal[]> {
  const { rows } = await pool.query<{ t: number; trig: number; type: string; price: number | null }>(
    `SELECT t, trig, type, price FROM (
       SELECT (extract(epoch FROM "timestamp") * 1000)::float8 AS t,
              (extract(epoch FROM COALESCE((details->>'trigger_time')::timestamptz, "timestamp")) * 1000)::float8 AS trig,
              signal_type AS type, signal_price AS price
         FROM detected_signals
        WHERE analyzer_id = $1 AND contract_id = $2 AND timeframe = $3 AND signal_type = ANY($4::text[])
          AND ($6::float8 IS NULL OR "timestamp" <= to_timestamp($6 / 1000.0))) s
      WHERE ($5::float8 IS NULL OR trig > $5) AND ($6::float8 IS NULL OR trig <= $6)
      ORDER BY trig, t, type`,
    [series.analyzerId, series.contractId, series.timeframeLabel, series.signalTypes, from ?? null, until ?? null],
  );
  return rows.map((r) => ({ time: r.t, trigger: r.trig, type: r.type, price: r.price }));
}

describe('stored signals read by binary COPY', () => {
  it('are the signals the text query read, for every bound', async () => {
    await pool.query(
      `INSERT INTO detected_signals (analyzer_id, "timestamp", contract_id, timeframe, signal_type, signal_price, details)
       SELECT a, to_timestamp(t / 1000.0), c, tf, ty, p, d::jsonb
         FROM unnest($1::text[], $2::float8[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::text[]) AS s(a, t, c, tf, ty, p, d)`,
      [
        [ANALYZER, ANALYZER, ANALYZER, ANALYZER, ANALYZER, ANALYZER, ANALYZER, 'other', ANALYZER, ANALYZER, ANALYZER],
        [0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => START + i * FIVE_MIN),
        [CONTRACT, CONTRACT, CONTRACT, CONTRACT, CONTRACT, CONTRACT, CONTRACT, CONTRACT, 'OTHER', CONTRACT, CONTRACT],
        ['5m', '5m', '5m', '5m', '5m', '5m', '5m', '5m', '5m', '1m', '5m'],
        ['sell', 'buy', 'buy', 'flat', 'sell', 'buy', 'sell', 'buy', 'buy', 'buy', 'sell'],
        [4200.25, null, -1.5e-9, 1, 4201, 1e300, 0, 1, 1, 1, 3],
        [
          '{}',
          '{}',
          // a trigger with microseconds, and one later than the next signal's bar: trigger order wins
          `{"trigger_time": "${new Date(START + 2 * FIVE_MIN - 1).toISOString().replace('Z', '123Z')}"}`,
          '{}',
          `{"trigger_time": "${new Date(START + 6 * FIVE_MIN).toISOString()}"}`,
          '{"other": 1}',
          '{}',
          '{}',
          '{}',
          '{}',
          `{"trigger_time": "${new Date(START + 10 * FIVE_MIN - 1).toISOString()}"}`,
        ],
      ],
    );
    const bounds: [number | undefined, number | undefined][] = [
      [undefined, undefined],
      [START - 1, START + 100 * FIVE_MIN],
      [START, START + 5 * FIVE_MIN],
      [START + FIVE_MIN, START + 2 * FIVE_MIN - 1],
      [START + 2 * FIVE_MIN - 1, START + 6 * FIVE_MIN],
      [undefined, START + 2 * FIVE_MIN - 1],
      [START + 6 * FIVE_MIN, undefined],
      [START + 50 * FIVE_MIN, START + 60 * FIVE_MIN],
    ];
    for (const [from, until] of bounds) {
      const read = await readSignals(pool, SERIES, from, until);
      expect(read).toEqual(await readSignalsAsText(SERIES, from, until));
    }
    const all = await readSignals(pool, SERIES, undefined, undefined);
    expect(String(all[2]?.trigger).endsWith('.123')).toBe(true);
    expect(all.map((s) => `${s.time - START}/${(s.trigger - START).toFixed(3)}/${s.type}/${s.price}`)).toEqual([
      '0/0.000/buy/null',
      '0/0.000/sell/4200.25',
      '300000/599999.123/buy/-1.5e-9',
      '1200000/1200000.000/buy/1e+300',
      '1500000/1500000.000/sell/0',
      '900000/1800000.000/sell/4201',
      '2700000/2999999.000/sell/3',
    ]);
    // A map with one type reads only that type.
    const buys = await readSignals(pool, { ...SERIES, signalTypes: ['buy'] }, undefined, undefined);
    expect(buys).toEqual(all.filter((s) => s.type === 'buy'));
  });
});

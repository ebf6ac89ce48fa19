// The retention job on a real PostgreSQL: it deletes exactly the ticks and bars older than their
// settings, in bounded DELETEs, and nothing on a second pass; it stops between statements when asked.
// The scheduler that runs it, and TimescaleDB's tick policy: retention-scheduler.test.ts.
import { describe, expect, it } from 'vitest';
import { parseTimeframe } from '../../core/src/timeframe.ts';
import { type Queryable, type RetentionPlan, retentionCutoff, runRetention } from '../../ingester/src/retention-job.ts';
import { BATCH, DAY, NOW, useRetentionDatabase } from '../support/retention-fixture.ts';

const fixture = useRetentionDatabase();
const { countingDb, count, insertTicks, kept } = fixture;

describe('retention job', () => {
  const plan: RetentionPlan = {
    ticksDays: 3,
    bars: [
      { label: '1m', timeframe: parseTimeframe('1m'), days: 2 },
      { label: '5m', timeframe: parseTimeframe('5m'), days: 5 },
    ],
    batchRows: BATCH,
  };

  it('cuts at midnight UTC, keeping whole days', () => {
    expect(retentionCutoff(NOW, 3).toISOString()).toBe('2026-03-07T00:00:00.000Z');
  });

  it('deletes exactly the old ticks and bars, in DELETEs of at most batch_rows rows, and nothing on a second pass', async () => {
    const tickCut = retentionCutoff(NOW, 3);
    const cut1m = retentionCutoff(NOW, 2);
    const cut5m = retentionCutoff(NOW, 5);
    const before = {
      ticks: await count('ticks'),
      oldTicks: await count('ticks WHERE "timestamp" < $1', [tickCut]),
      old1m: await count(`ohlc_bars WHERE timeframe = '1m' AND "timestamp" < $1`, [cut1m]),
      old5m: await count(`ohlc_bars WHERE timeframe = '5m' AND "timestamp" < $1`, [cut5m]),
      hours: await kept('ohlc_bars', `timeframe = '1h'`, new Date(0)),
      keptTicks: await kept('ticks', 'true', tickCut),
      kept1m: await kept('ohlc_bars', `timeframe = '1m'`, cut1m),
      kept5m: await kept('ohlc_bars', `timeframe = '5m'`, cut5m),
    };
    expect(before.oldTicks).toBeGreaterThan(5 * BATCH); // several batches per series
    expect(before.old1m).toBeGreaterThan(5 * BATCH);

    const deletes: number[] = [];
    const report = await runRetention(countingDb(deletes), plan, NOW);
    expect(report.ticks).toBe(before.oldTicks);
    expect(report.bars).toEqual({ '1m': before.old1m, '5m': before.old5m });
    // Exactly the old rows are gone: what is left is what was at or after each cutoff, row for row.
    expect(await count('ticks')).toBe(before.ticks - before.oldTicks);
    expect(await kept('ticks', 'true', new Date(0))).toEqual(before.keptTicks);
    expect(await kept('ohlc_bars', `timeframe = '1m'`, new Date(0))).toEqual(before.kept1m);
    expect(await kept('ohlc_bars', `timeframe = '5m'`, new Date(0))).toEqual(before.kept5m);
    expect(await kept('ohlc_bars', `timeframe = '1h'`, new Date(0))).toEqual(before.hours);
    expect(await count(`ticks WHERE trade_id IN ('edge:old', 'edge:kept')`)).toBe(1);
    expect(await count(`ticks WHERE trade_id = 'edge:kept'`)).toBe(1);
    // Bounded: no DELETE over batch_rows, and the removed rows took at least as many statements as that implies.
    const removed = report.ticks + before.old1m + before.old5m;
    expect(deletes.reduce((a, b) => a + b, 0)).toBe(removed);
    expect(Math.max(...deletes)).toBeLessThanOrEqual(BATCH);
    expect(deletes.filter((n) => n > 0).length).toBeGreaterThanOrEqual(Math.ceil(removed / BATCH));

    const again: number[] = [];
    const second = await runRetention(countingDb(again), plan, NOW);
    expect(second).toMatchObject({ ticks: 0, bars: { '1m': 0, '5m': 0 } });
    expect(again.every((n) => n === 0)).toBe(true);
  });

  it("finds each batch's time range on the (contract_id, timestamp) index and the bars' primary key", async () => {
    const batches: { text: string; values: unknown[] }[] = [];
    const recording: Queryable = {
      query: async (text, values = []) => {
        if (text.includes('WITH bound')) batches.push({ text, values });
        const r = await fixture.pool.query(text, values);
        return { rows: r.rows, rowCount: r.rowCount };
      },
    };
    await runRetention(recording, plan, NOW);
    const tickBatch = batches.find((b) => b.text.includes('DELETE FROM ticks'));
    const barBatch = batches.find((b) => b.text.includes('DELETE FROM ohlc_bars'));
    // These tables are small here, so sequential scans are switched off to ask whether the index
    // applies, not whether it pays.
    const client = await fixture.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL enable_seqscan = off');
      const plans: string[] = [];
      for (const b of [tickBatch, barBatch]) {
        expect(b).toBeDefined();
        const { rows } = await client.query(`EXPLAIN (FORMAT JSON) ${b?.text ?? ''}`, b?.values);
        plans.push(JSON.stringify(rows[0]));
      }
      // On TimescaleDB the chunks' copies of the index carry a prefix.
      expect(plans[0]).toMatch(/"Index Name":"[^"]*ticks_contract_time_idx"/);
      expect(plans[0]).not.toContain('Seq Scan');
      expect(plans[1]).toMatch(/"Index Name":"[^"]*ohlc_bars_pkey"/);
      expect(plans[1]).not.toContain('Seq Scan');
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('deletes an instant that alone holds more than a batch (ticks sharing a timestamp)', async () => {
    const old = new Date(NOW.getTime() - 9 * DAY);
    await fixture.pool.query(
      `INSERT INTO ticks (contract_id, "timestamp", price, volume, trade_id) SELECT 'SIM.TIE', $1, 1, 1, 'tie:' || g FROM generate_series(1, $2) g`,
      [old, BATCH * 2 + 7],
    );
    await fixture.pool.query(
      `INSERT INTO ticks (contract_id, "timestamp", price, volume, trade_id) VALUES ('SIM.TIE', $1, 1, 1, 'tie:new')`,
      [NOW],
    );
    const report = await runRetention(fixture.pool, { ticksDays: 3, bars: [], batchRows: BATCH }, NOW);
    expect(report.ticks).toBe(BATCH * 2 + 7);
    expect(await count(`ticks WHERE contract_id = 'SIM.TIE'`)).toBe(1);
  });

  it('stops between statements when asked', async () => {
    await insertTicks('SIM.STOP', 60);
    const deletes: number[] = [];
    const stopAfterTwo = () => deletes.filter((n) => n > 0).length >= 2;
    const report = await runRetention(countingDb(deletes), { ticksDays: 3, bars: [], batchRows: BATCH }, NOW, { stopped: stopAfterTwo });
    expect(report.ticks).toBe(2 * BATCH);
    expect(await count(`ticks WHERE contract_id = 'SIM.STOP' AND "timestamp" < $1`, [retentionCutoff(NOW, 3)])).toBeGreaterThan(0);
    await runRetention(fixture.pool, { ticksDays: 3, bars: [], batchRows: BATCH }, NOW);
  });
});

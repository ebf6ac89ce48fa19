// The analyzer's SMC runner across restarts, corrections and bad input, on a real PostgreSQL: a new
// runner recomputes from the window's first bar and reconciles the tables (nothing lost, nothing
// duplicated, tampered rows corrected); a corrected or imported bar inside the processed range
// recomputes; `last: N` keeps its first bar across restarts; a bar the engine refuses is counted and
// skipped; every write is announced by one smc_update that parses by the registry schema.
import { describe, expect, it } from 'vitest';
import { type ContractBar, type OhlcBar, parseTimeframe, smcParams } from '../../core/src/index.ts';
import type { Pool } from '../../core/src/node/db-pool.ts';
import { writeFlush } from '../../ingester/src/bar-store.ts';
import { closedBarsAfter } from '../../analyzer/src/closed-bars.ts';
import type { SmcInstance } from '../../analyzer/src/smc-instances.ts';
import { SmcRunner, type SmcRunnerEvents } from '../../analyzer/src/smc-runner.ts';
import { readStoredSmcRows } from '../../analyzer/src/smc-stored-rows.ts';
import { ChannelListener } from '../support/channel-listener.ts';
import { eventually } from '../support/eventually.ts';
import { quietLogger } from '../support/quiet-logger.ts';
import { batchTableRows, rowDifferences } from '../support/smc-batch-rows.ts';
import { syntheticBars } from '../support/synthetic-bars.ts';
import type { TestDatabase } from '../support/test-database.ts';
import { useTestDatabase } from '../support/use-test-database.ts';

const STEP = 5 * 60_000;
const START = Date.parse('2025-03-17T00:00:00Z');
const tf = parseTimeframe('5m');
let db: TestDatabase;
let pool: Pool;
useTestDatabase((ground) => ({ db, pool } = ground));

function instance(contractId: string, window: SmcInstance['window']): SmcInstance {
  return {
    studyId: 'recovery',
    contractId,
    timeframe: tf,
    timeframeLabel: '5m',
    params: smcParams({ swing_length: 5 }),
    window,
    key: `recovery|${contractId}|5m`,
  };
}

const write = (contractId: string, bars: readonly OhlcBar[]): Promise<unknown> =>
  writeFlush(
    pool,
    bars.map((b): ContractBar => ({ ...b, contractId, unit: tf.unit, value: tf.value, isClosed: true })),
    [],
  );

function counting(): SmcRunnerEvents & { rejected: string[]; rows: number } {
  const out = {
    rejected: [] as string[],
    rows: 0,
    onBars: () => undefined,
    onRows: (_i: SmcInstance, e: number, z: number) => {
      out.rows += e + z;
    },
    onRejectedBar: (_i: SmcInstance, reason: string) => {
      out.rejected.push(reason);
    },
  };
  return out;
}

async function differences(inst: SmcInstance, bars: readonly OhlcBar[]): Promise<string[]> {
  return rowDifferences(await readStoredSmcRows(pool, inst), batchTableRows(bars, inst.params));
}

const firstBarTime = async (inst: SmcInstance): Promise<number | null> =>
  (
    await pool.query<{ t: number | null }>(
      `SELECT (extract(epoch FROM first_bar_time) * 1000)::float8 AS t FROM smc_study_state WHERE study_id = $1 AND contract_id = $2`,
      [inst.studyId, inst.contractId],
    )
  ).rows[0]?.t ?? null;

describe('SMC runner recovery', () => {
  it('a restart recomputes from the window start and reconciles tampered and missed rows; each write notified once', async () => {
    const bars = syntheticBars(600, { start: START, stepMs: STEP, seed: 3 });
    const inst = instance('REC.A', { from: START });
    const notices = await ChannelListener.listen(db.url, 'smcUpdate');
    const first = new SmcRunner(inst, pool, quietLogger('smc'), counting());
    await write('REC.A', bars.slice(0, 300));
    await first.catchUp();
    expect(await differences(inst, bars.slice(0, 300))).toEqual([]);
    await eventually(() => notices.messages.length === 1);
    expect(notices.messages[0]).toMatchObject({
      study_id: 'recovery',
      contract_id: 'REC.A',
      timeframe: '5m',
      through: new Date(bars[299]!.time).toISOString(),
    });

    // While "down": rows damaged by hand, bars stored that nobody fed.
    await pool.query(
      `DELETE FROM zones WHERE contract_id = 'REC.A' AND bar_time = (SELECT min(bar_time) FROM zones WHERE contract_id = 'REC.A')`,
    );
    await pool.query(
      `UPDATE smc_events SET level = level + 1 WHERE contract_id = 'REC.A' AND bar_time = (SELECT max(bar_time) FROM smc_events WHERE contract_id = 'REC.A')`,
    );
    await pool.query(
      `INSERT INTO zones (study_id, contract_id, timeframe, study, bar_time, bar_index, side, top, bottom, confirmed)
       VALUES ('recovery', 'REC.A', '5m', 'fvg', $1, 7, 1, 2, 1, true)`,
      [new Date(bars[7]!.time + 1)],
    );
    await write('REC.A', bars.slice(300, 450));
    expect((await differences(inst, bars.slice(0, 450))).length).toBeGreaterThan(0);

    notices.clear();
    const events = counting();
    const second = new SmcRunner(inst, pool, quietLogger('smc'), events);
    await second.catchUp();
    expect(second.lastError).toBeUndefined();
    expect(await differences(inst, bars.slice(0, 450))).toEqual([]);
    expect(second.through).toBe(bars[449]!.time);
    await eventually(() => notices.messages.length === 1);
    expect(notices.messages[0]!.events + notices.messages[0]!.zones).toBe(events.rows);

    // Live again, bar by bar.
    for (let i = 450; i < 470; i++) {
      await write('REC.A', [bars[i]!]);
      await second.noteBar(bars[i]!.time, bars[i]);
    }
    expect(await differences(inst, bars.slice(0, 470))).toEqual([]);
    // A repeat of a fed bar, unchanged, is not a correction: nothing is written.
    const before = events.rows;
    await second.noteBar(bars[460]!.time, bars[460]);
    expect(events.rows).toBe(before);
    await notices.end();
  });

  it('a corrected bar or an import inside the processed range recomputes from the window start', async () => {
    const bars = syntheticBars(400, { start: START, stepMs: STEP, seed: 4 });
    const inst = instance('REC.B', { from: START });
    const runner = new SmcRunner(inst, pool, quietLogger('smc'), counting());
    await write('REC.B', bars);
    await runner.catchUp();
    expect(await differences(inst, bars)).toEqual([]);

    const corrected = bars.map((b, i) => (i === 120 ? { ...b, high: b.high + 40, close: b.high + 30 } : b));
    // A closed bar is final for the live path: corrections come from an import (here: by hand).
    await pool.query(
      `UPDATE ohlc_bars SET high = $1, close = $2 WHERE contract_id = 'REC.B' AND timeframe_unit = $3 AND timeframe_value = $4 AND "timestamp" = $5`,
      [corrected[120]!.high, corrected[120]!.close, tf.unit, tf.value, new Date(corrected[120]!.time)],
    );
    await runner.noteBar(corrected[120]!.time, corrected[120]);
    expect(await differences(inst, corrected)).toEqual([]);

    // bars_imported: a bar missing inside the range arrives (its notification carries only `from`).
    const missing = syntheticBars(1, { start: START + 200 * STEP + 60_000, stepMs: STEP, seed: 5, price: corrected[200]!.close });
    await write('REC.B', missing);
    await runner.noteBar(missing[0]!.time);
    const withImport = [...corrected.slice(0, 201), missing[0]!, ...corrected.slice(201)];
    expect(await differences(inst, withImport)).toEqual([]);
  });

  it('last: N resolves its first bar once and keeps it across restarts', async () => {
    const bars = syntheticBars(300, { start: START, stepMs: STEP, seed: 6 });
    const inst = instance('REC.C', { last: 50 });
    await write('REC.C', bars.slice(0, 200));
    const first = new SmcRunner(inst, pool, quietLogger('smc'), counting());
    await first.catchUp();
    expect(await firstBarTime(inst)).toBe(bars[150]!.time);
    expect(await differences(inst, bars.slice(150, 200))).toEqual([]);

    await write('REC.C', bars.slice(200));
    const second = new SmcRunner(inst, pool, quietLogger('smc'), counting());
    await second.catchUp();
    expect(await firstBarTime(inst)).toBe(bars[150]!.time);
    expect(await differences(inst, bars.slice(150))).toEqual([]);
  });

  it('last: N with no stored bar waits for the first one', async () => {
    const bars = syntheticBars(30, { start: START, stepMs: STEP, seed: 7 });
    const inst = instance('REC.D', { last: 1000 });
    const runner = new SmcRunner(inst, pool, quietLogger('smc'), counting());
    await runner.catchUp();
    expect(runner.lastError).toBeUndefined();
    expect(await firstBarTime(inst)).toBeNull();
    await write('REC.D', bars);
    await runner.noteBar(bars[29]!.time, bars[29]);
    expect(await firstBarTime(inst)).toBe(bars[0]!.time);
    expect(await differences(inst, bars)).toEqual([]);
  });

  it('a bar the engine refuses is counted and skipped, never stored, and the runner carries on', async () => {
    const bars = syntheticBars(120, { start: START, stepMs: STEP, seed: 8 });
    const inst = instance('REC.E', { from: START });
    await write('REC.E', bars);
    const events = counting();
    // ohlc_bars refuses impossible bars itself; a non-finite value can only come from a reader.
    const runner = new SmcRunner(inst, pool, quietLogger('smc'), events, async (i, after, limit) =>
      (await closedBarsAfter(pool, i, after, limit)).map((b) => (b.time === bars[60]!.time ? { ...b, close: NaN } : b)),
    );
    await runner.catchUp();
    expect(runner.lastError).toBeUndefined();
    expect(events.rejected).toEqual([expect.stringMatching(/close: must be a finite number/)]);
    expect(runner.through).toBe(bars[119]!.time);
    const good = bars.filter((_, i) => i !== 60);
    expect(await differences(inst, good)).toEqual([]);
  });
});

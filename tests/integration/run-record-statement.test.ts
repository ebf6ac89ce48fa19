// A paper step's one-statement write (trader/src/run-record-statement.ts) against the writer's transaction
// (RunRecordWriter.write), on a real PostgreSQL: the same engine records, stored chunk by chunk into two
// runs, give identical orders, order events, fills, positions, round trips, equity points, run state
// (watermark, halt, ended_at) and trade_update payloads; the applied commands' `at` is rewritten; a write
// that does not continue the stored watermark stores nothing.
import { createPool, inTransaction, type Pool } from '@barstream/core/node';
import { type EngineEvent, parseStrategyRunConfig, TradingEngine } from '@barstream/core/trading';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels } from '../../core/src/channels.ts';
import { RunRecordWriter } from '../../trader/src/run-record-writer.ts';
import { insertRun } from '../../trader/src/run-store.ts';
import { eventually } from '../support/eventually.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { CONTRACT, FIVE_MIN, insertContract, runRecords, syntheticBars } from '../support/trading-fixture.ts';

let db: TestDatabase;
let pool: Pool;

const CONFIG = parseStrategyRunConfig({
  id: 'one-statement',
  kind: 'paper',
  contract: CONTRACT,
  timeframe: '5m',
  signals: { analyzer_id: 'bench', map: { buy: 'entry_long', sell: 'entry_short' } },
  instrument: { kind: 'future', tick_size: 0.25, tick_value: 1.25, initial_margin: 1500 },
  sizing: { type: 'fixed', qty: 2 },
  exits: {
    stop_loss: { ticks: 6 },
    take_profit: [
      { ticks: 8, fraction: 0.5 },
      { ticks: 14, fraction: 0.5 },
    ],
    on_opposite_signal: 'reverse',
  },
  fees: { per_contract: 0.62 },
  slippage: { ticks: 1 },
  // Small enough to halt part-way: the halt row, the flatten and ended_at are written too.
  risk: { max_drawdown: 150 },
  starting_capital: 10_000,
});
const BARS = syntheticBars(400);
const CHUNK = 25;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPool(db.url, { max: 4 });
  await insertContract(pool);
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

/** The engine's records, cut where a paper step would cut them: after every CHUNK bars (and their signals). */
function chunks(): { events: EngineEvent[]; through: number; halted: boolean }[] {
  const out: { events: EngineEvent[]; through: number; halted: boolean }[] = [];
  let events: EngineEvent[] = [];
  const engine = new TradingEngine(CONFIG, { runId: 'r0', emit: (e) => events.push(e) });
  BARS.forEach((bar, i) => {
    const key = bar.time + FIVE_MIN - 1;
    engine.apply({ kind: 'bar', bar });
    if (i % 6 === 5)
      engine.apply({ kind: 'signal', key: `${bar.time}.s`, type: i % 12 === 5 ? 'buy' : 'sell', time: key, price: bar.close });
    if (i % CHUNK === CHUNK - 1 || i === BARS.length - 1) {
      out.push({ events, through: key, halted: engine.halted });
      events = [];
    }
  });
  return out;
}

describe('one-statement run write', () => {
  it('stores what the transactional writer stores, NOTIFYs the same, and rewrites the commands it applied', async () => {
    const steps = chunks();
    const kinds = new Set(steps.flatMap((s) => s.events.map((e) => e.type)));
    expect([...kinds].sort()).toEqual(['equity', 'fill', 'halt', 'order', 'position', 'trade']);

    const a = await insertRun(pool, { strategyId: null, config: CONFIG, status: 'running' });
    const b = await insertRun(pool, { strategyId: null, config: CONFIG, status: 'running' });
    await pool.query(`INSERT INTO run_commands (run_id, seq, at, command) VALUES ($1, 1, now(), '{"type":"emergency_stop"}')`, [b]);

    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    const payloads = new Map<number, unknown[]>([
      [a, []],
      [b, []],
    ]);
    listener.on('notification', (n) => {
      const m = JSON.parse(n.payload ?? '{}') as { run_id: number };
      payloads.get(m.run_id)?.push({ ...m, run_id: 0 });
    });
    await listener.query(`LISTEN ${channels.tradeUpdate.name}`);
    try {
      const writerA = new RunRecordWriter(a, CONTRACT);
      const writerB = new RunRecordWriter(b, CONTRACT);
      const returned: [unknown, unknown][] = [];
      let after: number | null = null;
      for (const [n, step] of steps.entries()) {
        const w = { events: step.events, through: step.through, status: step.halted ? ('halted' as const) : ('running' as const) };
        const fromA = await inTransaction(pool, (client) => writerA.write(client, w));
        const commands = n === 3 ? { commands: { seqs: [1], at: step.through } } : {};
        const fromB = await writerB.writeOneStatement(pool, w, { after, ...commands });
        after = step.through;
        returned.push([
          { ...fromA, run_id: 0 },
          { ...fromB, run_id: 0 },
        ]);
      }
      for (const [fromA, fromB] of returned) expect(fromB).toEqual(fromA);

      const recordsA = await runRecords(pool, a);
      expect(recordsA.fills?.length).toBeGreaterThan(4);
      expect(await runRecords(pool, b)).toEqual(recordsA);

      const state = async (id: number): Promise<unknown> =>
        (
          await pool.query(
            `SELECT status, watermark, halt_reason, halt_detail, ended_at IS NOT NULL AS ended FROM strategy_runs WHERE run_id = $1`,
            [id],
          )
        ).rows[0];
      expect(await state(a)).toMatchObject({ status: 'halted', halt_reason: 'max_drawdown', ended: true });
      expect(await state(b)).toEqual(await state(a));

      const { rows } = await pool.query<{ at: number }>(
        'SELECT (extract(epoch FROM at) * 1000)::float8 AS at FROM run_commands WHERE run_id = $1 AND seq = 1',
        [b],
      );
      expect(rows[0]?.at).toBe(steps[3]?.through);

      await eventually(() => payloads.get(a)?.length === steps.length && payloads.get(b)?.length === steps.length);
      expect(payloads.get(b)).toEqual(payloads.get(a));
    } finally {
      await listener.end();
    }
  });

  it('stores nothing when the run moved on from the watermark the step continues', async () => {
    const [first, second] = chunks();
    if (!first || !second) throw new Error('fixture: two steps expected');
    const run = await insertRun(pool, { strategyId: null, config: CONFIG, status: 'running' });
    const writer = new RunRecordWriter(run, CONTRACT);
    await writer.writeOneStatement(pool, { events: first.events, through: first.through, status: 'running' }, { after: null });
    const before = await runRecords(pool, run);
    // A second writer of the same run (or a step after lost commits) believes the run is still at the start.
    const stale = new RunRecordWriter(run, CONTRACT);
    const attempt = stale.writeOneStatement(pool, { events: second.events, through: second.through, status: 'running' }, { after: null });
    await expect(attempt).rejects.toThrow(`paper run ${run}: stored watermark `);
    expect(await runRecords(pool, run)).toEqual(before);
    const { rows } = await pool.query<{ w: number }>(
      'SELECT (extract(epoch FROM watermark) * 1000)::float8 AS w FROM strategy_runs WHERE run_id = $1',
      [run],
    );
    expect(rows[0]?.w).toBe(first.through);
    // From the stored watermark it goes on; without waiting for the WAL flush, for this transaction only.
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const w = { events: second.events, through: second.through, status: 'running' as const };
      await writer.writeOneStatement(client, w, { after: first.through, synchronousCommit: false });
      const { rows: setting } = await client.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
      expect(setting[0]?.synchronous_commit).toBe('on');
    } finally {
      await client.end();
    }
    expect((await runRecords(pool, run)).equity?.length).toBeGreaterThan(before.equity?.length ?? 0);
  });
});

// A backtest's stored records do not depend on where its batches end: orders still working at the end of
// one batch (updated in place by a later one), round-trip numbering and order-event seqs carried across,
// and the order events, final orders and equity points packed per batch (order_event_chunks, order_chunks,
// equity_change_chunks) read back through run_order_events, run_orders and run_equity row for row.
import { loadConfig, type Pool } from '@barstream/core/node';
import { describe, expect, it } from 'vitest';
import { executeBacktest } from '../../trader/src/backtest-run.ts';
import { readRunContract } from '../../trader/src/run-contract.ts';
import { insertRun } from '../../trader/src/run-store.ts';
import { backtestOf, CONTRACT, emaCrossRun, runRecords, syntheticBars } from '../support/trading-fixture.ts';
import { useTradingDatabase } from '../support/trading-database.ts';

let pool: Pool;
const BARS = syntheticBars(600);
const { settings } = loadConfig();

// A wide take profit and a time stop keep orders working across many bars, so across batch ends.
const CONFIG = backtestOf(
  emaCrossRun('test-batches', {
    exits: { stop_loss: { ticks: 12 }, take_profit: [{ ticks: 40 }], time_stop_bars: 30, on_opposite_signal: 'reverse' },
  }),
  BARS.length,
);

useTradingDatabase(BARS, (ground) => ({ pool } = ground));

describe('backtest batches', () => {
  it('stores the same records in one batch and in batches of 7 bars', async () => {
    const { sessions } = await readRunContract(pool, settings, CONTRACT);
    const whole = await insertRun(pool, { strategyId: null, config: CONFIG, status: 'running' });
    const pieces = await insertRun(pool, { strategyId: null, config: CONFIG, status: 'running' });
    const a = await executeBacktest(pool, settings, { runId: whole, config: CONFIG, sessions });
    const b = await executeBacktest(pool, settings, { runId: pieces, config: CONFIG, sessions, batchBars: 7 });
    expect(b.report).toEqual(a.report);
    const [one, many] = [await runRecords(pool, whole), await runRecords(pool, pieces)];
    expect(many).toEqual(one);
    expect(one.equity).toHaveLength(BARS.length);
    expect(one.trades?.length).toBeGreaterThan(5);
    // Orders that were still working when a batch ended: their rows were updated by a later batch.
    const { rows } = await pool.query<{
      n: string;
      chunks: string;
      event_chunks: string;
      event_rows: string;
      packed: string;
      order_rows: string;
    }>(
      `SELECT (SELECT count(*) FROM orders o WHERE o.run_id = $1
                 AND (SELECT min(seq) FROM run_order_events e WHERE e.run_id = o.run_id AND e.client_order_id = o.client_order_id) <
                     (SELECT max(seq) FROM run_order_events e WHERE e.run_id = o.run_id AND e.client_order_id = o.client_order_id)
                 AND o.updated_at - o.created_at > interval '35 minutes')::text AS n,
              (SELECT count(*) FROM equity_change_chunks WHERE run_id = $1)::text AS chunks,
              (SELECT count(*) FROM order_event_chunks WHERE run_id = $1)::text AS event_chunks,
              (SELECT count(*) FROM order_events WHERE run_id = $1)::text AS event_rows,
              (SELECT COALESCE(sum(orders), 0) FROM order_chunks WHERE run_id = $1)::text AS packed,
              (SELECT count(*) FROM orders WHERE run_id = $1)::text AS order_rows`,
      [pieces],
    );
    expect(Number(rows[0]?.n)).toBeGreaterThan(0);
    expect(Number(rows[0]?.chunks)).toBe(Math.ceil(BARS.length / 7));
    // Packed: a chunk per batch that changed an order (not every 7 bars do), no order_events rows.
    expect(Number(rows[0]?.event_chunks)).toBeGreaterThan(10);
    expect(Number(rows[0]?.event_chunks)).toBeLessThanOrEqual(Math.ceil(BARS.length / 7));
    expect(Number(rows[0]?.event_rows)).toBe(0);
    expect(many.orderEvents?.length).toBeGreaterThan(Number(rows[0]?.event_chunks));
    // Orders final when their batch ended are packed (order_chunks), the others are rows: each one once.
    expect(Number(rows[0]?.packed)).toBeGreaterThan(0);
    expect(Number(rows[0]?.packed) + Number(rows[0]?.order_rows)).toBe(many.orders?.length);
  });
});

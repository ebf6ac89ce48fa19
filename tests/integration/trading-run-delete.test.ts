// Deleting a run deletes its rows (migration 015 replaced the foreign keys of order_events, orders, fills
// and trades by a trigger on strategy_runs: what ON DELETE CASCADE did; 016 added the packed order events
// and equity curve, 022 the packed final orders), and only that run's.
import { loadConfig, type Pool } from '@barstream/core/node';
import { describe, expect, it } from 'vitest';
import { executeBacktest } from '../../trader/src/backtest-run.ts';
import { readRunContract } from '../../trader/src/run-contract.ts';
import { insertRun } from '../../trader/src/run-store.ts';
import { backtestOf, CONTRACT, emaCrossRun, syntheticBars } from '../support/trading-fixture.ts';
import { useTradingDatabase } from '../support/trading-database.ts';

let pool: Pool;
const BARS = syntheticBars(300);
const { settings } = loadConfig();
// A backtest's orders are packed when final at their batch's end (order_chunks), rows otherwise (orders,
// maybe none): deleting both is checked through run_orders.
const TABLES = ['run_orders', 'order_chunks', 'order_event_chunks', 'fills', 'trades', 'equity_change_chunks'];

const CONFIG = backtestOf(
  emaCrossRun('test-delete', { exits: { stop_loss: { ticks: 8 }, take_profit: [{ ticks: 16 }], on_opposite_signal: 'reverse' } }),
  BARS.length,
);

useTradingDatabase(BARS, (ground) => ({ pool } = ground));

async function rowCounts(runId: number): Promise<number[]> {
  const counts: number[] = [];
  for (const t of TABLES) {
    const { rows } = await pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${t} WHERE run_id = $1`, [runId]);
    counts.push(Number(rows[0]?.n));
  }
  return counts;
}

describe('deleting a run', () => {
  it("deletes its orders, order events, fills, trades and equity curve, and no other run's", async () => {
    const { sessions } = await readRunContract(pool, settings, CONTRACT);
    const [gone, kept] = [
      await insertRun(pool, { strategyId: null, config: CONFIG, status: 'running' }),
      await insertRun(pool, { strategyId: null, config: CONFIG, status: 'running' }),
    ];
    for (const runId of [gone, kept]) await executeBacktest(pool, settings, { runId, config: CONFIG, sessions });
    const before = await rowCounts(kept);
    expect(before.every((n) => n > 0)).toBe(true);
    expect(await rowCounts(gone)).toEqual(before);
    await pool.query('DELETE FROM strategy_runs WHERE run_id = $1', [gone]);
    expect(await rowCounts(gone)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(await rowCounts(kept)).toEqual(before);
  });
});

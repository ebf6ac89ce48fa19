// A parameter sweep on a real PostgreSQL: the runs it stores (from worker threads, written in batches by
// the parent) hold the same round trips and report as backtesting each combination on its own; a
// combination the strategy rejects fails with an error naming the parameter and stores no round trips.
import { loadConfig, type Pool } from '@barstream/core/node';
import { describe, expect, it } from 'vitest';
import { executeBacktest } from '../../trader/src/backtest-run.ts';
import { readRunContract } from '../../trader/src/run-contract.ts';
import { insertRun } from '../../trader/src/run-store.ts';
import { runSweep } from '../../trader/src/sweep-runner.ts';
import { backtestOf, CONTRACT, emaCrossRun, FIVE_MIN, runRecords, START, syntheticBars } from '../support/trading-fixture.ts';
import { useTradingDatabase } from '../support/trading-database.ts';

let pool: Pool;
const BARS = syntheticBars(600);
const { settings } = loadConfig();

const CONFIG = backtestOf(emaCrossRun('test-sweep'), BARS.length);

useTradingDatabase(BARS, (ground) => ({ pool } = ground));

describe('backtest sweep', () => {
  it('stores each combination as backtesting it alone would', async () => {
    const grid = { fast: [4, 7], slow: [20, 30] };
    const { sweepId, results } = await runSweep(pool, { settings, strategyId: null, config: CONFIG, grid, workers: 3 });
    expect(results).toHaveLength(4);
    expect(results.map((r) => r.error)).toEqual([undefined, undefined, undefined, undefined]);
    const contract = await readRunContract(pool, settings, CONTRACT);
    let trades = 0;
    for (const r of results) {
      const alone = await insertRun(pool, { strategyId: null, config: CONFIG, status: 'running' });
      const reference = await executeBacktest(pool, settings, {
        runId: alone,
        config: CONFIG,
        sessions: contract.sessions,
        params: r.params,
        summaryOnly: true,
      });
      expect(r.report).toEqual(reference.report);
      const [swept, single] = [await runRecords(pool, r.runId), await runRecords(pool, alone)];
      expect(swept.trades).toEqual(single.trades);
      trades += swept.trades?.length ?? 0;
      const { rows } = await pool.query<{ status: string; progress: number; report: unknown; sweep_id: string; params: unknown; w: Date }>(
        'SELECT status, progress, report, sweep_id::text, params, watermark AS w FROM strategy_runs WHERE run_id = $1',
        [r.runId],
      );
      expect(rows[0]).toMatchObject({
        status: 'completed',
        progress: 1,
        report: reference.report,
        sweep_id: String(sweepId),
        params: r.params,
      });
      expect(rows[0]?.w.getTime()).toBe(START + BARS.length * FIVE_MIN - 1);
    }
    expect(trades).toBeGreaterThan(0); // the comparison compared something
    const sweep = await pool.query<{ status: string }>('SELECT status FROM backtest_sweeps WHERE sweep_id = $1', [sweepId]);
    expect(sweep.rows[0]?.status).toBe('completed');
  });

  it('fails a combination the strategy rejects, naming the parameter, and stores nothing for it', async () => {
    const { sweepId, results } = await runSweep(pool, { settings, strategyId: null, config: CONFIG, grid: { fast: [5, 40], slow: [30] } });
    const bad = results.find((r) => r.params.fast === 40);
    expect(bad?.error).toMatch(/fast/);
    expect(results.find((r) => r.params.fast === 5)?.report).toBeDefined();
    const { rows } = await pool.query<{ status: string; error: string; n: string }>(
      'SELECT status, error, (SELECT count(*) FROM trades t WHERE t.run_id = r.run_id)::text AS n FROM strategy_runs r WHERE run_id = $1',
      [bad?.runId],
    );
    expect(rows[0]).toMatchObject({ status: 'failed', n: '0' });
    expect(rows[0]?.error).toMatch(/fast/);
    const sweep = await pool.query<{ status: string }>('SELECT status FROM backtest_sweeps WHERE sweep_id = $1', [sweepId]);
    expect(sweep.rows[0]?.status).toBe('failed');
  });
});

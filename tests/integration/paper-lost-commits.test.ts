// A paper run whose last commits were dropped (what a database crash does to commits not yet flushed,
// with trader.paper_synchronous_commit false): the run's rows are put back as they were a few steps
// earlier while the live PaperRun is ahead in memory. Its next write does not continue the stored
// watermark, so it fails storing nothing; the step after rebuilds from what is stored and stores the
// dropped records again: at the end the run equals an uninterrupted backtest (no fill lost, none twice).
import { loadConfig, type Pool } from '@barstream/core/node';
import { parseStrategyRunConfig } from '@barstream/core/trading';
import { describe, expect, it } from 'vitest';
import { executeBacktest } from '../../trader/src/backtest-run.ts';
import { PaperRun } from '../../trader/src/paper-run.ts';
import { readRunContract } from '../../trader/src/run-contract.ts';
import { insertRun } from '../../trader/src/run-store.ts';
import { quietLogger } from '../support/quiet-logger.ts';
import { backtestOf, CONTRACT, emaCrossRun, HandAnalyzer, runRecords, START, syntheticBars } from '../support/trading-fixture.ts';
import { useTradingDatabase } from '../support/trading-database.ts';

let pool: Pool;
const BARS = syntheticBars(300);
const { settings } = loadConfig();
const RUN = emaCrossRun('test-lost-commits');
/** The run's tables, and the strategy_runs columns a write changes. */
const TABLES = ['orders', 'order_events', 'fills', 'positions', 'trades', 'equity_points'];

useTradingDatabase(BARS, (ground) => ({ pool } = ground));

async function snapshot(runId: number): Promise<void> {
  for (const t of TABLES) await pool.query(`CREATE TABLE snap_${t} AS SELECT * FROM ${t} WHERE run_id = $1`, [runId]);
  await pool.query(
    `CREATE TABLE snap_run AS SELECT status, watermark, halt_reason, halt_detail, ended_at FROM strategy_runs WHERE run_id = $1`,
    [runId],
  );
}

/** The run's rows as they were at the snapshot: the commits after it are gone. */
async function dropLaterCommits(runId: number): Promise<void> {
  for (const t of TABLES) {
    await pool.query(`DELETE FROM ${t} WHERE run_id = $1`, [runId]);
    await pool.query(`INSERT INTO ${t} SELECT * FROM snap_${t}`);
  }
  await pool.query(
    `UPDATE strategy_runs r SET status = s.status, watermark = s.watermark, halt_reason = s.halt_reason,
       halt_detail = s.halt_detail, ended_at = s.ended_at FROM snap_run s WHERE r.run_id = $1`,
    [runId],
  );
}

describe('paper run after lost commits', () => {
  it('fails the write that does not continue the stored watermark, rebuilds, and ends equal to the backtest', async () => {
    const contract = await readRunContract(pool, settings, CONTRACT);
    const analyzer = new HandAnalyzer(pool, BARS);
    const config = parseStrategyRunConfig({ ...RUN, kind: 'paper' });
    const runId = await insertRun(pool, { strategyId: null, config, status: 'running' });
    await pool.query('UPDATE strategy_runs SET range_from = to_timestamp($2 / 1000.0) WHERE run_id = $1', [runId, START]);
    const paper = new PaperRun(
      pool,
      { runId, config, sessions: contract.sessions, fromMs: START, watermark: undefined, synchronousCommit: false },
      quietLogger('trader'),
    );
    await paper.open();

    let failures = 0;
    for (let n = 5; n <= BARS.length; n += 5) {
      await analyzer.advanceTo(n);
      await paper.step();
      if (paper.lastError) {
        failures++;
        expect(paper.lastError.message).toContain(`paper run ${runId}: stored watermark`);
      }
      if (n === 150) await snapshot(runId);
      if (n === 180) {
        const fillsBefore = (await runRecords(pool, runId)).fills?.length ?? 0;
        await dropLaterCommits(runId);
        expect((await runRecords(pool, runId)).fills?.length).toBeLessThan(fillsBefore);
      }
    }
    await paper.step(); // the failed step's retry (a wake-up), had the last one failed
    expect(failures).toBe(1);

    const backtestConfig = backtestOf(RUN, BARS.length);
    const backtestId = await insertRun(pool, { strategyId: null, config: backtestConfig, status: 'running' });
    await executeBacktest(pool, settings, { runId: backtestId, config: backtestConfig, sessions: contract.sessions });

    const paperRows = await runRecords(pool, runId);
    expect(paperRows.equity).toHaveLength(BARS.length);
    expect(paperRows.fills?.length).toBeGreaterThan(5);
    expect(paperRows).toEqual(await runRecords(pool, backtestId));
  });
});

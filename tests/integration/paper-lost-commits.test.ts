// A paper run whose last commits were dropped (what a database crash does to commits not yet flushed,
// with trader.paper_synchronous_commit false): the run's rows are put back as they were a few steps
// earlier while the live PaperRun is ahead in memory. Its next write does not continue the stored
// watermark, so it fails storing nothing; the step after rebuilds from what is stored and stores the
// dropped records again: at the end the run equals an uninterrupted backtest (no fill lost, none twice).
import { loadConfig, type Pool } from '@barstream/core/node';
import { describe, expect, it } from 'vitest';
import { emaCrossRun, HandAnalyzer, runRecords, syntheticBars } from '../support/trading-fixture.ts';
import { storePaperRun } from '../support/stored-paper-run.ts';
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
    const { runId, open, backtest } = await storePaperRun(pool, settings, RUN, { synchronousCommit: false });
    const analyzer = new HandAnalyzer(pool, BARS);
    const paper = await open();

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

    const { runId: backtestId } = await backtest(BARS.length);

    const paperRows = await runRecords(pool, runId);
    expect(paperRows.equity).toHaveLength(BARS.length);
    expect(paperRows.fills?.length).toBeGreaterThan(5);
    expect(paperRows).toEqual(await runRecords(pool, backtestId));
  });
});

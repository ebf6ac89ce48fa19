// A stop wins over a paper step in flight, on a real PostgreSQL: the API's stop (strategy_runs row locked
// FOR UPDATE, status 'stopped', committed) lands between the step's read of its inputs and its write; the
// write waits on the row lock, then stores its records and watermark but leaves the status 'stopped', and
// its trade_update says so. Ordered by the held lock and pg_stat_activity, not by time.
import { loadConfig, type Pool } from '@barstream/core/node';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ChannelListener } from '../support/channel-listener.ts';
import { eventually } from '../support/eventually.ts';
import { type TestDatabase } from '../support/test-database.ts';
import { CONTRACT, FIVE_MIN, HandAnalyzer, syntheticBars } from '../support/trading-fixture.ts';
import { storePaperRun } from '../support/stored-paper-run.ts';
import { useTradingDatabase } from '../support/trading-database.ts';

let db: TestDatabase;
let pool: Pool;
const BARS = syntheticBars(40);
const { settings } = loadConfig();

useTradingDatabase(BARS, (ground) => ({ db, pool } = ground));

describe('paper step vs API stop', () => {
  it("keeps 'stopped' when the stop commits between the step's read and its write", async () => {
    const { runId, open } = await storePaperRun(pool, settings, {
      id: 'stop-race',
      contract: CONTRACT,
      timeframe: '5m',
      signals: { analyzer_id: 'ema_cross', strategy: 'ema_cross', map: { buy: 'entry_long', sell: 'entry_short' } },
      instrument: { kind: 'future', tick_size: 0.25, tick_value: 1.25, initial_margin: 1500 },
      sizing: { type: 'fixed', qty: 1 },
      starting_capital: 10_000,
    });
    const analyzer = new HandAnalyzer(pool, BARS);
    const paper = await open();
    await analyzer.advanceTo(20);
    await paper.step();
    await analyzer.advanceTo(BARS.length);
    const updates = await ChannelListener.listen(db.url, 'tradeUpdate');

    // The API's stop, as web/lib/queries/run-lifecycle.ts does it: lock the row, set 'stopped'.
    const api = new pg.Client({ connectionString: db.url, application_name: 'stop-race-api' });
    await api.connect();
    try {
      await api.query('BEGIN');
      await api.query('SELECT status FROM strategy_runs WHERE run_id = $1 FOR UPDATE', [runId]);
      const stepping = paper.step();
      // The step has read its inputs and its write waits on the stop's row lock.
      await eventually(async () => {
        // The write is one statement (run-record-statement.ts) whose CTEs open with order_events_in.
        const { rows } = await pool.query(
          `SELECT 1 FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%order_events_in AS%'`,
        );
        return rows.length > 0;
      });
      await api.query(`UPDATE strategy_runs SET status = 'stopped', ended_at = now(), updated_at = now() WHERE run_id = $1`, [runId]);
      await api.query('COMMIT');
      await stepping;
    } finally {
      await api.end();
    }
    expect(paper.lastError).toBeUndefined();

    const { rows } = await pool.query<{ status: string; w: number; points: number }>(
      `SELECT status, (extract(epoch FROM watermark) * 1000)::float8 AS w,
              (SELECT count(*)::int FROM equity_points WHERE run_id = $1) AS points
         FROM strategy_runs WHERE run_id = $1`,
      [runId],
    );
    // The step's records went in (every bar), the status stayed the stop's.
    expect(rows[0]).toEqual({ status: 'stopped', w: (BARS[BARS.length - 1]?.time as number) + FIVE_MIN - 1, points: BARS.length });
    await eventually(() => updates.messages.some((m) => m.run_id === runId && m.equity_points > 0));
    const stepUpdate = updates.clear().find((m) => m.run_id === runId && m.equity_points > 0);
    expect(stepUpdate?.status).toBe('stopped');
    await updates.end();
  }, 60_000);
});

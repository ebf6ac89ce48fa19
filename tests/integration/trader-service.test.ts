// The trader service on a real PostgreSQL, driven as the web API drives it: a backtest inserted as
// 'created' is run to 'completed' with its report; a paper run follows the analyzer's watermark; an
// emergency stop inserted in run_commands halts it; after a restart the run is rebuilt with that command
// replayed and continues without storing any order or fill twice.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { channels } from '@barstream/core';
import { loadConfig, type Pool } from '@barstream/core/node';
import { parseStrategyRunConfig } from '@barstream/core/trading';
import { describe, expect, it } from 'vitest';
import { TraderService } from '../../trader/src/trader-service.ts';
import { eventually } from '../support/eventually.ts';
import { quietLogger } from '../support/quiet-logger.ts';
import { type TestDatabase } from '../support/test-database.ts';
import { CONTRACT, FIVE_MIN, HandAnalyzer, START, syntheticBars } from '../support/trading-fixture.ts';
import { useTradingDatabase } from '../support/trading-database.ts';

let db: TestDatabase;
let pool: Pool;
const BARS = syntheticBars(600);
const base = loadConfig().settings;
const settings = {
  ...base,
  trader: { ...base.trader, strategies_dir: mkdtempSync(join(tmpdir(), 'bs-no-strategies-')), scan_interval_ms: 200 },
};

const RUN = {
  id: 'svc-ema',
  contract: CONTRACT,
  timeframe: '5m',
  signals: { analyzer_id: 'ema_cross', strategy: 'ema_cross', map: { buy: 'entry_long', sell: 'entry_short' } },
  instrument: { kind: 'future', tick_size: 0.25, tick_value: 1.25, initial_margin: 1500 },
  sizing: { type: 'fixed', qty: 1 },
  exits: { stop_loss: { ticks: 6 }, take_profit: [{ ticks: 10 }], on_opposite_signal: 'reverse' },
  fees: { per_contract: 0.62 },
  starting_capital: 10_000,
};

useTradingDatabase(BARS, (ground) => ({ db, pool } = ground));

/** What the API does: insert a run and NOTIFY trade_update in one transaction. */
async function apiCreateRun(config: unknown, kind: 'backtest' | 'paper', status: 'created' | 'running'): Promise<number> {
  const parsed = parseStrategyRunConfig(config);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO strategy_runs (kind, status, config, contract_id, timeframe, fill_model, range_from, range_to, starting_capital)
       VALUES ($1, $2, $3, $4, '5m', 'bar', $5, $6, 10000) RETURNING run_id::text AS id`,
      [
        kind,
        status,
        JSON.stringify(parsed),
        CONTRACT,
        parsed.kind === 'backtest' ? parsed.from : new Date(START).toISOString(),
        parsed.kind === 'backtest' ? parsed.to : null,
      ],
    );
    const id = Number(rows[0]?.id);
    await notify(client, id, status);
    await client.query('COMMIT');
    return id;
  } finally {
    client.release();
  }
}

async function notify(client: { query: Pool['query'] }, runId: number, status: string): Promise<void> {
  const message = {
    type: 'trade_update',
    run_id: runId,
    contract_id: CONTRACT,
    status,
    through: null,
    orders: 0,
    fills: 0,
    trades: 0,
    equity_points: 0,
    equity: null,
  };
  await client.query('SELECT pg_notify($1, $2)', [channels.tradeUpdate.name, JSON.stringify(message)]);
}

const runRow = async (id: number) =>
  (
    await pool.query<{ status: string; report: { trades: number } | null; halt_reason: string | null; w: number | null; progress: number }>(
      `SELECT status, report, halt_reason, progress, (extract(epoch FROM watermark) * 1000)::float8 AS w FROM strategy_runs WHERE run_id = $1`,
      [id],
    )
  ).rows[0];

describe('trader service', () => {
  it('runs created backtests, paper runs and their commands, and resumes them after a restart', async () => {
    const analyzer = new HandAnalyzer(pool, BARS);
    await analyzer.advanceTo(300);
    const start = () => {
      const s = new TraderService({ settings, rootDir: process.cwd(), databaseUrl: db.url, logger: quietLogger('trader'), metricsPort: 0 });
      return s.start().then(() => s);
    };
    let trader = await start();
    try {
      const backtest = await apiCreateRun(
        { ...RUN, kind: 'backtest', from: new Date(START).toISOString(), to: new Date(START + 300 * FIVE_MIN).toISOString() },
        'backtest',
        'created',
      );
      await eventually(async () => (await runRow(backtest))?.status === 'completed', 60_000);
      expect((await runRow(backtest))?.progress).toBe(1);
      expect((await runRow(backtest))?.report?.trades).toBeGreaterThan(0);

      const paper = await apiCreateRun({ ...RUN, kind: 'paper' }, 'paper', 'running');
      const lastKey = (n: number) => START + n * FIVE_MIN - 1;
      await eventually(async () => (await runRow(paper))?.w === lastKey(300), 60_000);

      // Emergency stop, as the API sends it: a command row and a NOTIFY.
      await pool.query(
        `INSERT INTO run_commands (run_id, seq, at, command) VALUES ($1, 1, now(), '{"type":"emergency_stop","reason":"test"}')`,
        [paper],
      );
      await notify(pool, paper, 'running');
      await eventually(async () => (await runRow(paper))?.status === 'halted', 60_000);
      expect((await runRow(paper))?.halt_reason).toBe('emergency_stop');
      const at = await pool.query<{ at: number }>(
        'SELECT (extract(epoch FROM at) * 1000)::float8 AS at FROM run_commands WHERE run_id = $1',
        [paper],
      );
      expect(at.rows[0]?.at).toBe(lastKey(300)); // applied at the run's clock, where a replay puts it

      await trader.stop();
      await analyzer.advanceTo(600);
      trader = await start();
      await eventually(async () => (await runRow(paper))?.w === lastKey(600), 60_000);
      const { rows } = await pool.query<{ halts: number; entries: number; fills: number; distinct: number }>(
        `SELECT (SELECT count(*)::int FROM orders WHERE run_id = $1 AND role = 'flatten') AS halts,
                (SELECT count(*)::int FROM orders WHERE run_id = $1 AND role = 'entry' AND status = 'filled' AND updated_at > to_timestamp($2 / 1000.0)) AS entries,
                (SELECT count(*)::int FROM fills WHERE run_id = $1) AS fills,
                (SELECT count(DISTINCT fill_id)::int FROM fills WHERE run_id = $1) AS distinct`,
        [paper, lastKey(300)],
      );
      expect(rows[0]?.halts).toBeLessThanOrEqual(1);
      expect(rows[0]?.entries).toBe(0); // halted: nothing new is entered after the stop, restart or not
      expect(rows[0]?.fills).toBe(rows[0]?.distinct);
      expect((await runRow(paper))?.status).toBe('halted');
    } finally {
      await trader.stop();
    }
  }, 180_000);
});

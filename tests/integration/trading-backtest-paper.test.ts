// Backtest == paper on a real PostgreSQL: the same strategy over the same synthetic 5m bars, once as a
// backtest over the stored bars and once as a paper run fed bar range by bar range as the analyzer
// finishes them (restarted half-way: rebuilt by replaying its stored inputs), stores identical orders,
// order events, fills, positions, round trips and equity points (prices bitwise, money exactly).
// Plus a known-answer check of one stored fill, and the bad-input errors of the backtest CLI.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Pool } from '@barstream/core/node';
import { describe, expect, it } from 'vitest';
import { runBacktestCli } from '../../trader/src/backtest-cli.ts';
import { type TestDatabase } from '../support/test-database.ts';
import { CONTRACT, emaCrossRun, HandAnalyzer, runRecords, syntheticBars } from '../support/trading-fixture.ts';
import { storePaperRun } from '../support/stored-paper-run.ts';
import { useTradingDatabase } from '../support/trading-database.ts';

let db: TestDatabase;
let pool: Pool;
const BARS = syntheticBars(600);
const { settings } = loadConfig();

const RUN = emaCrossRun('test-ema');

useTradingDatabase(BARS, (ground) => ({ db, pool } = ground));

describe('backtest == paper', () => {
  it('stores identical records through the paper path (with a restart) and a backtest', async () => {
    const { runId: paperId, open, backtest } = await storePaperRun(pool, settings, RUN);
    const analyzer = new HandAnalyzer(pool, BARS);
    let paper = await open();
    for (let n = 7; n <= BARS.length; n += 7) {
      await analyzer.advanceTo(Math.min(n, BARS.length));
      await paper.step();
      if (n === 301) paper = await open(); // a restart: state rebuilt from the stored inputs
    }
    await analyzer.advanceTo(BARS.length);
    await paper.step();

    const { runId: backtestId, result } = await backtest(BARS.length);
    expect(result.signalSource).toBe('stored');

    const paperRows = await runRecords(pool, paperId);
    const backtestRows = await runRecords(pool, backtestId);
    expect(paperRows.fills?.length).toBeGreaterThan(10);
    expect(paperRows.equity).toHaveLength(BARS.length);
    expect(paperRows).toEqual(backtestRows);
    // No order was placed twice and every fill is stored once (the restart replayed, it did not re-store).
    const { rows } = await pool.query<{ n: number; d: number }>(
      'SELECT count(*)::int AS n, count(DISTINCT fill_id)::int AS d FROM fills WHERE run_id = $1',
      [paperId],
    );
    expect(rows[0]?.n).toBe(rows[0]?.d);
    expect(result.report.trades).toBe(paperRows.trades?.length);
  });

  it('stores a market entry at the next open plus slippage, with its fee (known answer)', async () => {
    const bars = await pool.query<{ open: number; t: Date }>(
      `SELECT open, "timestamp" AS t FROM ohlc_bars WHERE contract_id = $1 ORDER BY "timestamp"`,
      [CONTRACT],
    );
    const { rows } = await pool.query<{ price: number; fee: string; t: Date; side: string; id: string }>(
      `SELECT price, fee::text AS fee, "time" AS t, side, fill_id AS id FROM fills
        WHERE run_id = (SELECT max(run_id) FROM strategy_runs) AND fill_id LIKE '%:entry#1' ORDER BY "time" LIMIT 1`,
    );
    const fill = rows[0];
    expect(fill).toBeDefined();
    const bar = bars.rows.find((b) => b.t.getTime() === fill?.t.getTime());
    // bar model: a market order fills at the open of the bar after the signal, 1 tick against it.
    expect(fill?.price).toBe((bar?.open ?? NaN) + (fill?.side === 'buy' ? 0.25 : -0.25));
    expect(fill?.fee).toBe('0.62000000'); // numeric(30,8) as stored
  });
});

describe('backtest CLI bad input', () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), tty: false } };
  };
  const open = () => Promise.resolve({ pool, url: db.url, settings });
  const dir = mkdtempSync(join(tmpdir(), 'bs-strategy-'));
  const runs = async (): Promise<number> => Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM strategy_runs')).rows[0]?.n);

  it('names the wrong field of a strategy file and stores nothing', async () => {
    const path = join(dir, 'bad.yaml');
    writeFileSync(
      path,
      `id: bad-one\nkind: paper\ncontract: ${CONTRACT}\ntimeframe: 5m\nsignals: { analyzer_id: ema_cross, map: { buy: entry_long } }\nsizing: { type: fixed, qty: 1 }\nstarting_capital: 1000\nslipage: { ticks: 1 }\n`,
    );
    const before = await runs();
    const c = io();
    await expect(runBacktestCli(['--strategy', path], open, c.io)).rejects.toThrow(
      /bad\.yaml: \(root\): Unrecognized key: "slipage"|slipage/,
    );
    expect(await runs()).toBe(before);
    expect((await pool.query(`SELECT 1 FROM strategies WHERE strategy_id = 'bad-one'`)).rows).toHaveLength(0);
  });

  it('gives a clear error for a contract without bars', async () => {
    const path = join(dir, 'nobars.yaml');
    writeFileSync(
      path,
      `id: no-bars\nkind: paper\ncontract: NO.BARS\ntimeframe: 5m\ninstrument: { kind: future, tick_size: 0.25, tick_value: 1.25 }\nsignals: { analyzer_id: ema_cross, strategy: ema_cross, map: { buy: entry_long } }\nsizing: { type: fixed, qty: 1 }\nstarting_capital: 1000\n`,
    );
    const before = await runs();
    const c = io();
    await expect(runBacktestCli(['--strategy', path], open, c.io)).rejects.toThrow(/contract NO\.BARS has no closed 5m bars/);
    expect(await runs()).toBe(before);
  });

  it('runs a backtest and prints one JSON object with the report and run_id', async () => {
    const path = join(dir, 'good.yaml');
    writeFileSync(
      path,
      `id: good-one\nkind: paper\ncontract: ${CONTRACT}\ntimeframe: 5m\nsignals: { analyzer_id: ema_cross, strategy: ema_cross, map: { buy: entry_long, sell: entry_short } }\nsizing: { type: fixed, qty: 1 }\nexits: { stop_loss: { ticks: 6 } }\nstarting_capital: 10000\n`,
    );
    const c = io();
    expect(await runBacktestCli(['--strategy', path, '--json'], open, c.io)).toBe(0);
    const json = JSON.parse(c.out.join('\n')) as { run_id: number; trades: number; netProfit: string };
    const { rows } = await pool.query<{ status: string; n: number }>(
      `SELECT status, (SELECT count(*)::int FROM trades t WHERE t.run_id = r.run_id) AS n FROM strategy_runs r WHERE run_id = $1`,
      [json.run_id],
    );
    expect(rows[0]).toEqual({ status: 'completed', n: json.trades });
    expect(json.netProfit).toMatch(/^-?\d+(\.\d+)?$/); // formatMoney: exact decimal text
  });
});

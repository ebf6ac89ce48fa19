// Backtest == paper for the `tick` fill model on a real PostgreSQL: a paper run fed as the live system
// feeds it — each bar's trades stored in two flushes while the bar forms (the paper run steps after each,
// filling on them before the bar closes), then the closed bar and the analyzer's signals — restarted once
// mid-bar, and a backtest of the same run over the stored bars and ticks store identical orders, order
// events, fills, positions, round trips and equity points (prices bitwise, money exactly). Also: fills
// stored before their bar closed, one equity point per closed bar only, live marks as NOTIFYs, and a
// trader woken by tick_data_channel filling on a trade of the forming bar.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { barTradePath, type OhlcBar, type Trade } from '@barstream/core';
import { loadConfig, type Pool } from '@barstream/core/node';
import { describe, expect, it } from 'vitest';
import { TraderService } from '../../trader/src/trader-service.ts';
import { ChannelListener } from '../support/channel-listener.ts';
import { eventually } from '../support/eventually.ts';
import { quietLogger } from '../support/quiet-logger.ts';
import { type TestDatabase } from '../support/test-database.ts';
import { CONTRACT, emaCrossRun, FIVE_MIN, HandAnalyzer, insertBars, runRecords, syntheticBars } from '../support/trading-fixture.ts';
import { storePaperRun } from '../support/stored-paper-run.ts';
import { useTradingDatabase } from '../support/trading-database.ts';

let db: TestDatabase;
let pool: Pool;
const BARS = syntheticBars(240, 11);
const { settings } = loadConfig();

const RUN = emaCrossRun('test-tick', { fill_model: { type: 'tick', seed: 3 } });

/** A bar's trades: its open-extreme-extreme-close path at microsecond times inside it, plus a second
 * trade at the instant of the first extreme (two trades of one instant, which the feed splits across
 * two flushes: the paper run must hold the instant back until it is complete). */
function barTrades(bar: OhlcBar): Trade[] {
  const path = barTradePath(CONTRACT, bar, bar.time + 0.125, bar.time + FIVE_MIN - 1);
  const extreme = path[1] as Trade;
  return [...path.slice(0, 2), { ...extreme, volume: 1 }, ...path.slice(2)];
}

async function insertTrades(trades: readonly Trade[]): Promise<void> {
  await pool.query(
    `INSERT INTO ticks (contract_id, "timestamp", price, volume)
     SELECT $1, to_timestamp(t / 1000.0), p, v FROM unnest($2::float8[], $3::float8[], $4::float8[]) AS x(t, p, v)`,
    [CONTRACT, trades.map((t) => t.time), trades.map((t) => t.price), trades.map((t) => t.volume)],
  );
}

useTradingDatabase([], (ground) => ({ db, pool } = ground));

describe('backtest == paper, tick fill model', () => {
  it('stores identical records when the paper run fills on trades as they arrive (with a mid-bar restart)', async () => {
    const { runId: paperId, open, backtest } = await storePaperRun(pool, settings, RUN, { markIntervalMs: 0 });
    const analyzer = new HandAnalyzer(pool, BARS);
    const marks = await ChannelListener.listen(db.url, 'tradeUpdate');
    const fillsFrom = async (t: number): Promise<number> =>
      Number(
        (
          await pool.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM fills WHERE run_id = $1 AND "time" >= to_timestamp($2 / 1000.0)',
            [paperId, t],
          )
        ).rows[0]?.n,
      );
    let filledWhileForming = 0;
    let paper = await open();
    for (let i = 0; i < BARS.length; i++) {
      const bar = BARS[i] as OhlcBar;
      const trades = barTrades(bar);
      // The forming bar: two flushes, the second completing the instant the first ends on.
      await insertTrades(trades.slice(0, 2));
      await paper.step();
      if (i === 150) paper = await open(); // a restart mid-bar: rebuilt from the stored inputs
      filledWhileForming += await fillsFrom(bar.time);
      await insertTrades(trades.slice(2));
      await paper.step();
      filledWhileForming += await fillsFrom(bar.time);
      // The bar closes and the analyzer finishes it.
      await insertBars(pool, [bar]);
      await analyzer.advanceTo(i + 1);
      await paper.step();
    }

    const { runId: backtestId, result } = await backtest(BARS.length);
    expect(result.signalSource).toBe('stored');

    const paperRows = await runRecords(pool, paperId);
    const backtestRows = await runRecords(pool, backtestId);
    expect(paperRows.fills?.length).toBeGreaterThan(10);
    // Equity points on closed bars only: none per trade.
    expect(paperRows.equity).toHaveLength(BARS.length);
    expect(paperRows).toEqual(backtestRows);
    // Fills on trades inside bars, stored while those bars were still forming (not when they closed).
    expect(filledWhileForming).toBeGreaterThan(0);
    const times = (paperRows.fills as Array<{ time: Date }>).map((f) => f.time.getTime());
    expect(times.some((t) => t % FIVE_MIN !== 0)).toBe(true);
    // Every order and fill once (the restart replayed the trades it had seen, it did not re-store).
    const { rows } = await pool.query<{ n: number; d: number; o: number; od: number }>(
      `SELECT (SELECT count(*)::int FROM fills WHERE run_id = $1) AS n, (SELECT count(DISTINCT fill_id)::int FROM fills WHERE run_id = $1) AS d,
              (SELECT count(*)::int FROM orders WHERE run_id = $1) AS o, (SELECT count(DISTINCT client_order_id)::int FROM orders WHERE run_id = $1) AS od`,
      [paperId],
    );
    expect(rows[0]?.n).toBe(rows[0]?.d);
    expect(rows[0]?.o).toBe(rows[0]?.od);
    // Between closed bars the open position's mark went out as NOTIFYs that stored nothing.
    await eventually(() => marks.messages.some((m) => m.run_id === paperId && m.live === true));
    const live = marks.clear().filter((m) => m.run_id === paperId && m.live === true);
    expect(live.every((m) => m.orders + m.fills + m.trades + m.equity_points === 0 && m.equity !== null)).toBe(true);
    await marks.end();
  }, 240_000);
});

describe('trader service, tick fill model', () => {
  it('fills on a trade of the forming bar when tick_data_channel wakes it', async () => {
    // A contract of its own, so the first test's rows do not matter.
    const id = 'TICKWAKE.MES';
    await pool.query(
      `INSERT INTO contracts (id, provider, symbol, name, tick_size, session_calendar, instrument_kind, tick_value, multiplier, initial_margin)
       SELECT $1, provider, 'TW', name, tick_size, session_calendar, instrument_kind, tick_value, multiplier, initial_margin
         FROM contracts WHERE id = $2`,
      [id, CONTRACT],
    );
    const dir = mkdtempSync(join(tmpdir(), 'bs-tick-wake-'));
    writeFileSync(
      join(dir, 'tick-wake.yaml'),
      `id: tick-wake\nmode: paper\nfill_model: { type: tick, seed: 1 }\ncontract: ${id}\ntimeframe: 5m\n` +
        `instrument: { kind: future, tick_size: 0.25, tick_value: 1.25, initial_margin: 1500 }\n` +
        `signals: { analyzer_id: ema_cross, strategy: ema_cross, map: { buy: entry_long } }\nsizing: { type: fixed, qty: 1 }\n` +
        `slippage: { ticks: 1 }\nstarting_capital: 10000\n`,
    );
    const t0 = Date.parse('2025-03-04T15:00:00Z');
    const next = t0 + FIVE_MIN;
    const sql = async (text: string, values: unknown[]): Promise<void> => void (await pool.query(text, values));
    const trader = new TraderService({
      settings: { ...settings, trader: { ...settings.trader, strategies_dir: dir, scan_interval_ms: 60_000 } },
      rootDir: dir,
      databaseUrl: db.url,
      logger: quietLogger('trader'),
      metricsPort: 0,
    });
    try {
      // No bar yet: the paper run is created trading from the first one.
      await trader.start();
      // The file's run (the trader runs the first test's paper run too: it is still running).
      const runId = [...trader.runs.values()].find((r) => r.row.config.id === 'tick-wake')?.runId as number;
      expect(runId).toBeDefined();
      // One closed bar, analyzed, whose close triggered a buy signal (no NOTIFY: the tick wakes the run).
      await sql(
        `INSERT INTO ohlc_bars (contract_id, "timestamp", open, high, low, close, volume, timeframe_unit, timeframe_value, timeframe, is_closed)
         VALUES ($1, to_timestamp($2 / 1000.0), 5600, 5601, 5599, 5600.5, 10, 2, 5, '5m', true)`,
        [id, t0],
      );
      await sql(
        `INSERT INTO detected_signals (analyzer_id, "timestamp", contract_id, timeframe, signal_type, signal_price, details)
         VALUES ('ema_cross', to_timestamp($2 / 1000.0), $1, '5m', 'buy', 5600.5, '{}')`,
        [id, t0],
      );
      await sql(
        `INSERT INTO analyzer_watermarks (analyzer_id, contract_id, timeframe, last_processed_timestamp, updated_at)
         VALUES ('ema_cross', $1, '5m', to_timestamp($2 / 1000.0), now())`,
        [id, t0],
      );
      // Trades of the forming bar, stored and NOTIFYd as the ingester does; no bar of `next` exists.
      const ticks = [
        { t: next + 10.5, p: 5600.75 },
        { t: next + 400.25, p: 5601 },
        { t: next + 900.125, p: 5601.25 },
      ];
      await sql(
        `WITH t AS (INSERT INTO ticks (contract_id, "timestamp", price, volume)
           SELECT $1, to_timestamp(x / 1000.0), p, 1 FROM unnest($2::float8[], $3::float8[]) AS u(x, p) RETURNING 1)
         SELECT pg_notify('tick_data_channel', $4)`,
        [
          id,
          ticks.map((k) => k.t),
          ticks.map((k) => k.p),
          JSON.stringify({
            type: 'ticks',
            contract_id: id,
            ticks: ticks.map((k) => ({ timestamp: new Date(k.t).toISOString(), price: k.p, volume: 1, side: 'unknown' })),
          }),
        ],
      );
      // The entry is placed at the bar's key (its close) and acknowledged 50–100 ms later: it fills on the
      // second trade (the first is too early), plus 1 tick of slippage, while the bar of `next` is forming.
      await eventually(async () => (await pool.query('SELECT 1 FROM fills WHERE run_id = $1', [runId])).rows.length > 0);
      const { rows } = await pool.query<{ price: number; t: Date; bars: number }>(
        `SELECT price, "time" AS t, (SELECT count(*)::int FROM ohlc_bars WHERE contract_id = $2 AND "timestamp" >= to_timestamp($3 / 1000.0)) AS bars
           FROM fills WHERE run_id = $1`,
        [runId, id, next],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]?.price).toBe(5601.25);
      expect(rows[0]?.t.getTime()).toBe(Math.floor(next + 400.25));
      expect(rows[0]?.bars).toBe(0);
    } finally {
      await trader.stop();
    }
  }, 60_000);
});

// A synthetic market for the trading tests: a contract with instrument columns, deterministic 5m bars
// (a seeded random walk in whole ticks), and the analyzer's part played by hand — ema_cross signals
// stored with the analyzer's watermark, bar range by bar range, as the live analyzer does.
import { type OhlcBar, strategyById } from '@barstream/core';
import type { Pool } from '@barstream/core/node';
import { parseStrategyRunConfig, type StrategyRunConfig } from '@barstream/core/trading';
import { insertBars as insertTimeframeBars } from './trading-run-fixture.ts';

export const CONTRACT = 'TEST.MES';
export const FIVE_MIN = 300_000;
export const START = Date.parse('2025-03-03T14:30:00Z');
export const ANALYZER = 'ema_cross';

/** The tests' strategy run on the contract: ema_cross signals on 5m bars, the contract as a future (tick
 * 0.25 worth 1.25), one contract, a 6-tick stop and a 10-tick target, reversing on the opposite signal,
 * fees 0.62 and 1 tick of slippage; `overrides` replace whole keys. */
export function emaCrossRun(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    contract: CONTRACT,
    timeframe: '5m',
    signals: { analyzer_id: ANALYZER, strategy: 'ema_cross', map: { buy: 'entry_long', sell: 'entry_short' } },
    instrument: { kind: 'future', tick_size: 0.25, tick_value: 1.25, initial_margin: 1500 },
    sizing: { type: 'fixed', qty: 1 },
    exits: { stop_loss: { ticks: 6 }, take_profit: [{ ticks: 10 }], on_opposite_signal: 'reverse' },
    fees: { per_contract: 0.62 },
    slippage: { ticks: 1 },
    starting_capital: 10_000,
    ...overrides,
  };
}

/** `run` as a backtest of the first `bars` bars from START. */
export function backtestOf(run: Record<string, unknown>, bars: number): Extract<StrategyRunConfig, { kind: 'backtest' }> {
  return parseStrategyRunConfig({
    ...run,
    kind: 'backtest',
    from: new Date(START).toISOString(),
    to: new Date(START + bars * FIVE_MIN).toISOString(),
  }) as Extract<StrategyRunConfig, { kind: 'backtest' }>;
}

export async function insertContract(pool: Pool): Promise<void> {
  await pool.query(
    `INSERT INTO contracts (id, provider, symbol, name, tick_size, session_calendar, instrument_kind, tick_value, multiplier, initial_margin)
     VALUES ($1, 'simulated', 'TMES', 'test MES', 0.25, 'cme_globex', 'future', 1.25, 5, 1500) ON CONFLICT DO NOTHING`,
    [CONTRACT],
  );
}

/** `n` 5m bars from START: a seeded walk in ticks, each bar's range around its open and close. */
export function syntheticBars(n: number, seed = 7): OhlcBar[] {
  let s = seed >>> 0;
  const rnd = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const bars: OhlcBar[] = [];
  let price = 5600;
  for (let i = 0; i < n; i++) {
    const open = price;
    const close = open + Math.round((rnd() - 0.48) * 16) * 0.25;
    const high = Math.max(open, close) + Math.floor(rnd() * 6) * 0.25;
    const low = Math.min(open, close) - Math.floor(rnd() * 6) * 0.25;
    bars.push({ time: START + i * FIVE_MIN, open, high, low, close, volume: 100 + Math.floor(rnd() * 900) });
    price = close;
  }
  return bars;
}

/** Stores `bars` as closed 5m bars of CONTRACT. */
export async function insertBars(pool: Pool, bars: readonly OhlcBar[]): Promise<void> {
  await insertTimeframeBars(pool, CONTRACT, '5m', bars);
}

/** Plays the analyzer over `bars` (fed from the first): stores the signals triggered by bars in
 * [from, to) and moves its watermark to the last of them, in one statement per call. */
export class HandAnalyzer {
  private readonly strategy = strategyById('ema_cross').create({ fast: 5, slow: 12 });
  private fed = 0;
  constructor(
    private readonly pool: Pool,
    private readonly bars: readonly OhlcBar[],
  ) {}

  async advanceTo(count: number): Promise<void> {
    const rows: Array<{ t: number; trig: number; type: string; price: number }> = [];
    for (; this.fed < count; this.fed++) {
      const bar = this.bars[this.fed] as OhlcBar;
      for (const s of this.strategy.update(bar)) rows.push({ t: s.bar.time, trig: bar.time, type: s.type, price: s.price });
    }
    const last = this.bars[count - 1] as OhlcBar;
    await this.pool.query(
      `WITH s AS (
         INSERT INTO detected_signals (analyzer_id, "timestamp", contract_id, timeframe, signal_type, signal_price, details)
         SELECT $1, to_timestamp(t / 1000.0), $2, '5m', ty, p, jsonb_build_object('trigger_time', to_char(to_timestamp(tr / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
           FROM unnest($3::float8[], $4::float8[], $5::text[], $6::float8[]) AS x(t, tr, ty, p)
         ON CONFLICT DO NOTHING RETURNING 1)
       INSERT INTO analyzer_watermarks (analyzer_id, contract_id, timeframe, last_processed_timestamp, updated_at)
       VALUES ($1, $2, '5m', to_timestamp($7 / 1000.0), now())
       ON CONFLICT (analyzer_id, contract_id, timeframe) DO UPDATE SET last_processed_timestamp = EXCLUDED.last_processed_timestamp`,
      [ANALYZER, CONTRACT, rows.map((r) => r.t), rows.map((r) => r.trig), rows.map((r) => r.type), rows.map((r) => r.price), last.time],
    );
  }
}

/** A run's stored records with its run id taken out of the client order ids, for comparing two runs. */
export async function runRecords(pool: Pool, runId: number): Promise<Record<string, unknown[]>> {
  const strip = (sql: string) => sql.replaceAll('$ID', `'r${runId}:'`);
  const q = async (sql: string): Promise<unknown[]> => (await pool.query<Record<string, unknown>>(strip(sql), [runId])).rows;
  return {
    orders: await q(`SELECT replace(client_order_id, $ID, '') AS id, role, side, order_type, qty, filled_qty, limit_price, stop_price,
      status, reason, revision, created_at, updated_at FROM run_orders WHERE run_id = $1 ORDER BY id`),
    orderEvents: await q(`SELECT seq, "time", replace(client_order_id, $ID, '') AS id, status, filled_qty, qty, limit_price, stop_price,
      reason, revision FROM run_order_events WHERE run_id = $1 ORDER BY seq`),
    fills: await q(`SELECT replace(fill_id, $ID, '') AS id, "time", side, qty, price, fee::text, realized_pnl::text
      FROM fills WHERE run_id = $1 ORDER BY "time", id`),
    positions: await q(`SELECT contract_id, qty, avg_price, realized_pnl::text, updated_at FROM positions WHERE run_id = $1`),
    trades: await q(`SELECT trade_no, side, entry_time, exit_time, qty, entry_price, exit_price, pnl::text, fees::text, bars
      FROM trades WHERE run_id = $1 ORDER BY trade_no`),
    equity: await q(`SELECT "time", cash::text, equity::text, position_value::text, unrealized_pnl::text, realized_pnl::text,
      fees::text, margin_used::text, position FROM run_equity WHERE run_id = $1 ORDER BY "time"`),
  };
}

// strategy_runs and strategies rows: syncing the strategy files, creating a run, ending it.
import { channels, type TradeUpdateMessage } from '@barstream/core';
import { inTransaction, type Pool, type PoolClient } from '@barstream/core/node';
import { formatMoney, type StrategyRunConfig, toMoney } from '@barstream/core/trading';
import type { ReportJson } from './report-json.ts';
import type { StrategyFile } from './strategy-file.ts';

/** Upserts the strategy files into `strategies` (source 'file'); an id edited through the API is kept. */
export async function syncStrategyFiles(pool: Pool, files: readonly StrategyFile[]): Promise<void> {
  if (files.length === 0) return;
  await pool.query(
    `INSERT INTO strategies (strategy_id, description, config_yaml, source)
     SELECT id, '', yaml, 'file' FROM unnest($1::text[], $2::text[]) AS s(id, yaml)
     ON CONFLICT (strategy_id) DO UPDATE SET config_yaml = EXCLUDED.config_yaml, updated_at = now()
       WHERE strategies.source = 'file' AND strategies.config_yaml IS DISTINCT FROM EXCLUDED.config_yaml`,
    [files.map((f) => f.id), files.map((f) => f.yaml)],
  );
}

export interface NewRun {
  readonly strategyId: string | null;
  readonly config: StrategyRunConfig;
  readonly status: 'created' | 'running';
  readonly sweepId?: number;
  readonly params?: Record<string, unknown>;
}

/** Inserts a run (kind, contract, timeframe, range, capital from its config) and returns its id. */
export async function insertRun(db: Pool | PoolClient, run: NewRun): Promise<number> {
  const c = run.config;
  const { rows } = await db.query<{ run_id: string }>(
    `INSERT INTO strategy_runs (strategy_id, kind, status, config, contract_id, timeframe, fill_model, range_from, range_to,
       starting_capital, sweep_id, params, started_at)
     VALUES ((SELECT strategy_id FROM strategies WHERE strategy_id = $1), $2, $3, $4, $5, $6, $7,
       -- A paper run created running trades from the bar after the last closed one now, fixed in this
       -- statement: a crash before its first step must not move its start later (fixPaperStart's rule).
       CASE WHEN $2 = 'paper' AND $3 = 'running'
         THEN COALESCE((SELECT max(b."timestamp") + interval '1 millisecond' FROM ohlc_bars b
                         WHERE b.contract_id = $5 AND b.timeframe = $6 AND b.is_closed), to_timestamp(0))
         ELSE $8::timestamptz END,
       $9, $10, $11, $12, CASE WHEN $3 = 'running' THEN now() END)
     RETURNING run_id::text`,
    [
      run.strategyId,
      c.kind,
      run.status,
      JSON.stringify(c),
      c.contract,
      c.timeframe,
      c.fill_model.type,
      c.kind === 'backtest' ? c.from : null,
      c.kind === 'backtest' ? c.to : null,
      formatMoney(toMoney(c.starting_capital, 'starting_capital')),
      run.sweepId ?? null,
      run.params ? JSON.stringify(run.params) : null,
    ],
  );
  return Number(rows[0]?.run_id);
}

/** A sweep's runs, one per parameter set (status running), in one statement; their ids in `params` order. */
export async function insertSweepRuns(
  pool: Pool,
  sweep: { strategyId: string | null; config: Extract<StrategyRunConfig, { kind: 'backtest' }>; sweepId: number },
  params: readonly Record<string, unknown>[],
): Promise<number[]> {
  const c = sweep.config;
  const { rows } = await pool.query<{ run_id: string }>(
    `INSERT INTO strategy_runs (strategy_id, kind, status, config, contract_id, timeframe, fill_model, range_from, range_to,
       starting_capital, sweep_id, params, started_at)
     SELECT (SELECT strategy_id FROM strategies WHERE strategy_id = $1), 'backtest', 'running', $2, $3, $4, $5, $6, $7, $8, $9,
            p.params::jsonb, now()
       FROM unnest($10::text[]) WITH ORDINALITY AS p(params, n)
      ORDER BY p.n
     RETURNING run_id::text`,
    [
      sweep.strategyId,
      JSON.stringify(c),
      c.contract,
      c.timeframe,
      c.fill_model.type,
      c.from,
      c.to,
      formatMoney(toMoney(c.starting_capital, 'starting_capital')),
      sweep.sweepId,
      params.map((p) => JSON.stringify(p)),
    ],
  );
  // bigserial ids are drawn in the SELECT's order (ORDER BY n), so sorting them gives the params' order.
  return rows.map((r) => Number(r.run_id)).sort((a, b) => a - b);
}

/** Sets a run's status (and its error or report) and NOTIFYs trade_update, in one transaction. */
export async function endRun(
  pool: Pool,
  runId: number,
  contractId: string,
  end: { status: 'completed' | 'failed' | 'stopped' | 'running'; error?: string; report?: ReportJson },
): Promise<void> {
  await inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ through: Date | null }>(
      `UPDATE strategy_runs SET status = $2, error = COALESCE($3, error), report = COALESCE($4::jsonb, report),
         progress = CASE WHEN $2 = 'completed' THEN 1 ELSE progress END,
         started_at = COALESCE(started_at, now()),
         ended_at = CASE WHEN $2 = 'running' THEN NULL ELSE now() END, updated_at = now()
       WHERE run_id = $1 RETURNING watermark AS through`,
      [runId, end.status, end.error ?? null, end.report ? JSON.stringify(end.report) : null],
    );
    const message: TradeUpdateMessage = {
      type: 'trade_update',
      run_id: runId,
      contract_id: contractId,
      status: end.status,
      through: rows[0]?.through?.toISOString() ?? null,
      orders: 0,
      fills: 0,
      trades: 0,
      equity_points: 0,
      equity: null,
    };
    await client.query('SELECT pg_notify($1, $2)', [channels.tradeUpdate.name, JSON.stringify(message)]);
  });
}

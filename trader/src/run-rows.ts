// Reading strategy_runs rows the trader acts on: paper runs to run, backtests to claim.
import type { Pool } from '@barstream/core/node';
import { parseStrategyRunConfig, type StrategyRunConfig } from '@barstream/core/trading';

export interface RunRow {
  readonly runId: number;
  readonly strategyId: string | null;
  readonly kind: 'backtest' | 'paper';
  readonly status: string;
  readonly config: StrategyRunConfig;
  readonly contractId: string;
  readonly fromMs: number | undefined;
  readonly watermark: number | undefined;
}

interface Raw {
  run_id: string;
  strategy_id: string | null;
  kind: 'backtest' | 'paper';
  status: string;
  config: unknown;
  contract_id: string;
  from_ms: number | null;
  watermark_ms: number | null;
}

const SELECT = `SELECT run_id::text, strategy_id, kind, status, config, contract_id,
  (extract(epoch FROM range_from) * 1000)::float8 AS from_ms, (extract(epoch FROM watermark) * 1000)::float8 AS watermark_ms
  FROM strategy_runs`;

function toRow(r: Raw): RunRow {
  return {
    runId: Number(r.run_id),
    strategyId: r.strategy_id,
    kind: r.kind,
    status: r.status,
    config: parseStrategyRunConfig(r.config, `strategy_runs ${r.run_id} config`),
    contractId: r.contract_id,
    fromMs: r.from_ms ?? undefined,
    watermark: r.watermark_ms ?? undefined,
  };
}

/** Paper runs by status ('running' and 'halted' are the live ones). A row whose config no longer parses
 * is reported through `onBad`, never run. */
export async function paperRunRows(pool: Pool, onBad: (runId: number, err: Error) => void): Promise<Map<number, RunRow>> {
  const { rows } = await pool.query<Raw>(`${SELECT} WHERE kind = 'paper' AND status IN ('running', 'halted') ORDER BY run_id`);
  const out = new Map<number, RunRow>();
  for (const r of rows) {
    try {
      out.set(Number(r.run_id), toRow(r));
    } catch (err) {
      onBad(Number(r.run_id), err as Error);
    }
  }
  return out;
}

/** Claims the oldest created backtest (status → running), or undefined when there is none. */
export async function claimCreatedBacktest(pool: Pool): Promise<{ row?: RunRow; bad?: { runId: number; contractId: string; err: Error } }> {
  const { rows } = await pool.query<Raw>(
    `WITH next AS (SELECT run_id FROM strategy_runs WHERE kind = 'backtest' AND status = 'created' ORDER BY run_id
                   LIMIT 1 FOR UPDATE SKIP LOCKED)
     UPDATE strategy_runs r SET status = 'running', started_at = now(), updated_at = now() FROM next WHERE r.run_id = next.run_id
     RETURNING r.run_id::text, r.strategy_id, r.kind, r.status, r.config, r.contract_id,
       (extract(epoch FROM r.range_from) * 1000)::float8 AS from_ms, (extract(epoch FROM r.watermark) * 1000)::float8 AS watermark_ms`,
  );
  const raw = rows[0];
  if (!raw) return {};
  try {
    return { row: toRow(raw) };
  } catch (err) {
    return { bad: { runId: Number(raw.run_id), contractId: raw.contract_id, err: err as Error } };
  }
}

/** Paper runs of the strategy in a live or stopped state (a stopped one stays stopped until the API starts it). */
export async function hasPaperRun(pool: Pool, strategyId: string): Promise<boolean> {
  const { rows } = await pool.query(
    `SELECT 1 FROM strategy_runs WHERE strategy_id = $1 AND kind = 'paper' AND status IN ('created', 'running', 'halted', 'stopped') LIMIT 1`,
    [strategyId],
  );
  return rows.length > 0;
}

/** Fixes a paper run's first bar when it first starts: the bar after the last closed one now (or every bar). */
export async function fixPaperStart(pool: Pool, runId: number): Promise<number> {
  const { rows } = await pool.query<{ from_ms: number }>(
    `UPDATE strategy_runs r SET range_from = COALESCE(r.range_from,
       (SELECT max(b."timestamp") + interval '1 millisecond' FROM ohlc_bars b
         WHERE b.contract_id = r.contract_id AND b.timeframe = r.timeframe AND b.is_closed),
       to_timestamp(0)), started_at = COALESCE(r.started_at, now())
     WHERE run_id = $1 RETURNING (extract(epoch FROM range_from) * 1000)::float8 AS from_ms`,
    [runId],
  );
  return rows[0]?.from_ms ?? 0;
}

// A paper run on the trading fixture's contract stored as the trader creates one (status running, trading
// from START), its PaperRun built from what is stored (opening it again is a restart, the run rebuilt
// from its stored inputs up to its stored watermark), and a backtest of the same run to compare it with.
import type { Settings } from '@barstream/core';
import type { Pool } from '@barstream/core/node';
import { parseStrategyRunConfig, type StrategyRunConfig } from '@barstream/core/trading';
import { executeBacktest, type BacktestResult } from '../../trader/src/backtest-run.ts';
import { PaperRun, type PaperRunRow } from '../../trader/src/paper-run.ts';
import { readRunContract, type RunContract } from '../../trader/src/run-contract.ts';
import { insertRun } from '../../trader/src/run-store.ts';
import { quietLogger } from './quiet-logger.ts';
import { backtestOf, CONTRACT, START } from './trading-fixture.ts';

export interface StoredPaperRun {
  readonly runId: number;
  readonly config: StrategyRunConfig;
  readonly contract: RunContract;
  /** A PaperRun of the stored run from its stored watermark, opened. */
  readonly open: () => Promise<PaperRun>;
  /** Stores and runs a backtest of the same run over the first `bars` bars from START. */
  readonly backtest: (bars: number) => Promise<{ readonly runId: number; readonly result: BacktestResult }>;
}

/** Stores `run` (a strategy run's fields) as a paper run; `options` go to each PaperRun opened. */
export async function storePaperRun(
  pool: Pool,
  settings: Settings,
  run: Record<string, unknown>,
  options: Pick<PaperRunRow, 'synchronousCommit' | 'markIntervalMs'> = {},
): Promise<StoredPaperRun> {
  const contract = await readRunContract(pool, settings, CONTRACT);
  const config = parseStrategyRunConfig({ ...run, kind: 'paper' });
  const runId = await insertRun(pool, { strategyId: null, config, status: 'running' });
  await pool.query('UPDATE strategy_runs SET range_from = to_timestamp($2 / 1000.0) WHERE run_id = $1', [runId, START]);
  const open = async (): Promise<PaperRun> => {
    const { rows } = await pool.query<{ w: number | null }>(
      'SELECT (extract(epoch FROM watermark) * 1000)::float8 AS w FROM strategy_runs WHERE run_id = $1',
      [runId],
    );
    const paper = new PaperRun(
      pool,
      { runId, config, sessions: contract.sessions, fromMs: START, watermark: rows[0]?.w ?? undefined, ...options },
      quietLogger('trader'),
    );
    await paper.open();
    return paper;
  };
  const backtest = async (bars: number) => {
    const backtestConfig = backtestOf(run, bars);
    const backtestId = await insertRun(pool, { strategyId: null, config: backtestConfig, status: 'running' });
    const result = await executeBacktest(pool, settings, { runId: backtestId, config: backtestConfig, sessions: contract.sessions });
    return { runId: backtestId, result };
  };
  return { runId, config, contract, open, backtest };
}

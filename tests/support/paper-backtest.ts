// A paper run on the trading fixture's contract and the check of it: an uninterrupted backtest of the
// same stored configuration over the same bars, whose rows the paper run's must equal.
import type { Settings } from '@barstream/core';
import type { Pool } from '@barstream/core/node';
import { parseStrategyRunConfig, type StrategyRunConfig } from '@barstream/core/trading';
import { executeBacktest } from '../../trader/src/backtest-run.ts';
import { readRunContract } from '../../trader/src/run-contract.ts';
import { insertRun } from '../../trader/src/run-store.ts';
import { CONTRACT, START } from './trading-fixture.ts';

/** The fixture's contract as a contracts: entry of the settings (instrument columns included). */
export const CONTRACT_SETTINGS = {
  id: CONTRACT,
  provider: 'simulated',
  symbol: 'TMES',
  tick_size: 0.25,
  session_calendar: 'cme_globex',
  instrument_kind: 'future',
  tick_value: 1.25,
  initial_margin: 1500,
};

/** A paper strategy file on the contract: ema_cross signals, one contract, 6-tick stop, 10-tick target;
 * the bar fill model unless `fillModel: 'tick'` (seeded latency). */
export function paperStrategyFile(id: string, options: { slippageTicks?: number; fillModel?: 'bar' | 'tick' } = {}): string {
  const slippage = options.slippageTicks === undefined ? '' : `slippage: { ticks: ${options.slippageTicks} }\n`;
  const fillModel = options.fillModel === 'tick' ? 'fill_model: { type: tick, seed: 5 }\n' : '';
  return `id: ${id}
mode: paper
${fillModel}contract: ${CONTRACT}
timeframe: 5m
signals: { analyzer_id: ema_cross, strategy: ema_cross, map: { buy: entry_long, sell: entry_short } }
sizing: { type: fixed, qty: 1 }
exits: { stop_loss: { ticks: 6 }, take_profit: [{ ticks: 10 }], time_stop_bars: 20, on_opposite_signal: reverse }
fees: { per_contract: 0.62 }
${slippage}starting_capital: 10000
`;
}

/** Stores and runs a backtest of paper run `paperRunId`'s configuration from START through the bar
 * whose key is `lastKey`; returns the backtest's run id. */
export async function backtestOfPaperRun(pool: Pool, settings: Settings, paperRunId: number, lastKey: number): Promise<number> {
  const paperConfig = parseStrategyRunConfig(
    (await pool.query<{ config: unknown }>('SELECT config FROM strategy_runs WHERE run_id = $1', [paperRunId])).rows[0]?.config,
  );
  const backtestConfig = parseStrategyRunConfig({
    ...paperConfig,
    kind: 'backtest',
    from: new Date(START).toISOString(),
    to: new Date(lastKey + 1).toISOString(),
  }) as Extract<StrategyRunConfig, { kind: 'backtest' }>;
  const backtestId = await insertRun(pool, { strategyId: null, config: backtestConfig, status: 'running' });
  const sessions = (await readRunContract(pool, settings, CONTRACT)).sessions;
  await executeBacktest(pool, settings, { runId: backtestId, config: backtestConfig, sessions });
  return backtestId;
}

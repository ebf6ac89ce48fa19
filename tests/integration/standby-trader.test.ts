// Two traders on one database (issue #18, scale-out): each strategy file's paper run is created once,
// the two runs are split one each by lease, and when one trader stops the other reopens its run from
// what it stored; each run's records equal an uninterrupted backtest over the same bars.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { createPool, parseSettings, type Pool } from '@barstream/core/node';
import { parseStrategyRunConfig, type StrategyRunConfig } from '@barstream/core/trading';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeBacktest } from '../../trader/src/backtest-run.ts';
import { readRunContract } from '../../trader/src/run-contract.ts';
import { insertRun } from '../../trader/src/run-store.ts';
import { TraderService } from '../../trader/src/trader-service.ts';
import { eventually } from '../support/eventually.ts';
import { quietLogger } from '../support/quiet-logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import {
  CONTRACT,
  FIVE_MIN,
  HandAnalyzer,
  insertBars,
  insertContract,
  runRecords,
  START,
  syntheticBars,
} from '../support/trading-fixture.ts';

const paperFile = (id: string) => `id: ${id}
mode: paper
contract: ${CONTRACT}
timeframe: 5m
signals: { analyzer_id: ema_cross, strategy: ema_cross, map: { buy: entry_long, sell: entry_short } }
sizing: { type: fixed, qty: 1 }
exits: { stop_loss: { ticks: 6 }, take_profit: [{ ticks: 10 }], time_stop_bars: 20, on_opposite_signal: reverse }
fees: { per_contract: 0.62 }
starting_capital: 10000
`;

let db: TestDatabase;
let pool: Pool;
let dir: string;
const traders: TraderService[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPool(db.url, { max: 4 });
  dir = mkdtempSync(join(tmpdir(), 'bs-standby-trader-'));
  for (const id of ['paper-a', 'paper-b']) writeFileSync(join(dir, `${id}.yaml`), paperFile(id));
  await insertContract(pool);
});
afterAll(async () => {
  for (const t of traders) await t.stop();
  await pool?.end();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const held = (t: TraderService): string[] => (t.health().leases as { held: string[] } | undefined)?.held ?? [];

describe('two traders', () => {
  it('split the paper runs, take one over on a stop, and store each run as a backtest would', async () => {
    const raw = {
      contracts: [
        {
          id: CONTRACT,
          provider: 'simulated',
          symbol: 'TMES',
          tick_size: 0.25,
          session_calendar: 'cme_globex',
          instrument_kind: 'future',
          tick_value: 1.25,
          initial_margin: 1500,
        },
      ],
      ingester: { contracts: [CONTRACT] },
      trader: { metrics_port: 0, strategies_dir: dir, scan_interval_ms: 100 },
      leases: { retry_ms: 100 },
    };
    const settings = parseSettings(raw);
    const start = async () => {
      const t = new TraderService({ settings, rootDir: process.cwd(), databaseUrl: db.url, logger: quietLogger('trader'), metricsPort: 0 });
      traders.push(t);
      await t.start();
      return t;
    };
    const [a, b] = await Promise.all([start(), start()]);
    const { rows: runs } = await pool.query<{ id: string }>(
      `SELECT run_id::text AS id FROM strategy_runs WHERE kind = 'paper' ORDER BY run_id`,
    );
    expect(runs).toHaveLength(2);
    await eventually(() => held(a).length === 1 && held(b).length === 1);

    const bars = syntheticBars(400, 5);
    await insertBars(pool, bars);
    const analyzer = new HandAnalyzer(pool, bars);
    const watermarks = async (key: number) =>
      (
        await pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM strategy_runs WHERE kind = 'paper' AND watermark = to_timestamp($1::float8 / 1000)`,
          [key],
        )
      ).rows[0]?.n === 2;
    const lastKey = (n: number) => START + n * FIVE_MIN - 1;
    await analyzer.advanceTo(200);
    await eventually(() => watermarks(lastKey(200)));
    await a.stop();
    await eventually(() => held(b).length === 2);
    await analyzer.advanceTo(400);
    await eventually(() => watermarks(lastKey(400)));
    await b.stop();

    const paperConfig = parseStrategyRunConfig(
      (await pool.query<{ config: unknown }>('SELECT config FROM strategy_runs WHERE run_id = $1', [Number(runs[0]?.id)])).rows[0]?.config,
    );
    const backtestConfig = parseStrategyRunConfig({
      ...paperConfig,
      kind: 'backtest',
      from: new Date(START).toISOString(),
      to: new Date(lastKey(400) + 1).toISOString(),
    }) as Extract<StrategyRunConfig, { kind: 'backtest' }>;
    const backtestId = await insertRun(pool, { strategyId: null, config: backtestConfig, status: 'running' });
    await executeBacktest(pool, settings, {
      runId: backtestId,
      config: backtestConfig,
      sessions: (await readRunContract(pool, settings, CONTRACT)).sessions,
    });
    const backtest = await runRecords(pool, backtestId);
    expect(backtest.fills?.length).toBeGreaterThan(0);
    for (const { id } of runs) {
      const paper = await runRecords(pool, Number(id));
      for (const table of Object.keys(backtest)) {
        const differs = (paper[table] ?? []).some((row, i) => !isDeepStrictEqual(row, backtest[table]?.[i]));
        expect({ run: id, table, rows: paper[table]?.length, differs }).toEqual({
          run: id,
          table,
          rows: backtest[table]?.length,
          differs: false,
        });
      }
    }
  });
});

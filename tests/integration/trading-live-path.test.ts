// Backtest == paper through the live path: bars replayed by the replay provider → ingester (ohlc_bars +
// NOTIFY) → analyzer (signals + watermark) → trader (a `mode: paper` strategy file, its instrument from
// the contract's settings entry), then a backtest of the same run over the stored bars: identical
// orders, order events, fills, positions, round trips and equity points (prices bitwise, money exact).
// On a synthetic 5m file (always) and on the real MES 5m file (../shared; skipped visibly when absent).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { barTradePath, calendarFor, ingestContracts, type Settings } from '@barstream/core';
import { createPool, type Pool } from '@barstream/core/node';
import { parseSettings } from '@barstream/core/node';
import { parseStrategyRunConfig, type StrategyRunConfig } from '@barstream/core/trading';
import { afterAll, describe, expect, it } from 'vitest';
import { AnalyzerService } from '../../analyzer/src/analyzer-service.ts';
import { IngesterService } from '../../ingester/src/ingester-service.ts';
import { ReplayProvider } from '../../ingester/src/providers/replay-provider.ts';
import { readReplaySource } from '../../ingester/src/providers/replay-source.ts';
import { executeBacktest } from '../../trader/src/backtest-run.ts';
import { readRunContract } from '../../trader/src/run-contract.ts';
import { insertRun } from '../../trader/src/run-store.ts';
import { TraderService } from '../../trader/src/trader-service.ts';
import { eventually } from '../support/eventually.ts';
import { quietLogger } from '../support/quiet-logger.ts';
import { hasSharedData, MES_DIR } from '../support/shared-data.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { FIVE_MIN, runRecords, syntheticBars } from '../support/trading-fixture.ts';

const dbs: TestDatabase[] = [];
afterAll(async () => {
  for (const db of dbs) await db.drop();
});

const PAPER = (contract: string, fillModel: string) => `id: live-paper
mode: paper
fill_model: ${fillModel}
contract: ${contract}
timeframe: 5m
signals: { analyzer_id: ema_cross, strategy: ema_cross, map: { buy: entry_long, sell: entry_short } }
sizing: { type: fixed, qty: 1 }
exits: { stop_loss: { ticks: 8 }, take_profit: [{ ticks: 12 }], on_opposite_signal: reverse }
fees: { per_contract: 0.62 }
slippage: { ticks: 1 }
starting_capital: 10000
`;

async function liveThenBacktest(
  contract: string,
  file: string,
  params: Record<string, number>,
  fillModel = '{ type: bar }',
): Promise<void> {
  const db = await createTestDatabase();
  dbs.push(db);
  const pool: Pool = createPool(db.url, { max: 4 });
  const dir = mkdtempSync(join(tmpdir(), 'bs-live-strategies-'));
  writeFileSync(join(dir, 'live-paper.yaml'), PAPER(contract, fillModel));
  const settings: Settings = parseSettings({
    contracts: [
      {
        id: contract,
        provider: 'projectx',
        symbol: 'MES',
        tick_size: 0.25,
        session_calendar: 'cme_globex',
        instrument_kind: 'future',
        tick_value: 1.25,
        initial_margin: 1500,
      },
    ],
    ingester: { provider: 'replay', contracts: [contract], timeframes: ['5m'], flush_interval_ms: 20, close_grace_ms: 0 },
    analyzer: { targets: [{ analyzer_id: 'ema_cross', strategy: 'ema_cross', contract_id: contract, timeframes: ['5m'], params }] },
    trader: { strategies_dir: dir, scan_interval_ms: 500 },
  });
  const contracts = ingestContracts(settings);
  const calendars = new Map(contracts.map((c) => [c.id, calendarFor(settings, c)]));
  // The replay's last 5m bar: the ingester writes a burst over several flushes, so between two of them
  // the stored bars can all be closed and analyzed with more still to come. Done means this one is.
  const replayed = readReplaySource(readFileSync(file, 'utf8'), (id) => calendars.get(id)).trades;
  const lastBar = Math.floor(replayed.reduce((m, t) => Math.max(m, t.time), -Infinity) / FIVE_MIN) * FIVE_MIN;
  const trader = new TraderService({ settings, rootDir: dir, databaseUrl: db.url, logger: quietLogger('trader'), metricsPort: 0 });
  const analyzer = new AnalyzerService({ settings, databaseUrl: db.url, logger: quietLogger('analyzer'), metricsPort: 0 });
  const ingester = new IngesterService({
    settings,
    databaseUrl: db.url,
    contracts,
    provider: new ReplayProvider({ file, speed: Infinity, logger: quietLogger('replay'), calendarFor: (id) => calendars.get(id) }),
    replaySpeed: Infinity,
    logger: quietLogger('ingester'),
    metricsPort: 0,
  });
  try {
    // The ingester syncs the contract (with its instrument columns) as it starts; the trader then
    // creates the paper run before any bar exists, so it trades from the first bar.
    await analyzer.start();
    await trader.start();
    expect(trader.runs.size).toBe(1);
    await ingester.start();
    const runId = [...trader.runs.keys()][0] as number;
    // Done when the replay's last bar is stored, every bar is closed, the analyzer has processed the
    // last one and the paper run too.
    await eventually(async () => {
      const { rows } = await pool.query<{ forming: number; last: Date | null; analyzed: Date | null; run: Date | null }>(
        `SELECT (SELECT count(*)::int FROM ohlc_bars WHERE NOT is_closed) AS forming,
                (SELECT max("timestamp") FROM ohlc_bars) AS last,
                (SELECT last_processed_timestamp FROM analyzer_watermarks) AS analyzed,
                (SELECT watermark - interval '5 minutes' + interval '1 millisecond' FROM strategy_runs WHERE run_id = $1) AS run`,
        [runId],
      );
      const r = rows[0];
      const last = r?.last?.getTime();
      return r?.forming === 0 && last === lastBar && r?.analyzed?.getTime() === last && r?.run?.getTime() === last;
    }, 150_000);
    const { rows } = await pool.query<{ first: Date; last: Date }>(
      `SELECT min("timestamp") AS first, max("timestamp") AS last FROM ohlc_bars WHERE timeframe = '5m'`,
    );
    const range = rows[0] as { first: Date; last: Date };
    const paperConfig = parseStrategyRunConfig(
      (await pool.query<{ config: unknown }>('SELECT config FROM strategy_runs WHERE run_id = $1', [runId])).rows[0]?.config,
    );
    const config = parseStrategyRunConfig({
      ...paperConfig,
      kind: 'backtest',
      from: range.first.toISOString(),
      to: new Date(range.last.getTime() + 1).toISOString(),
    }) as Extract<StrategyRunConfig, { kind: 'backtest' }>;
    const backtestId = await insertRun(pool, { strategyId: 'live-paper', config, status: 'running' });
    const sessions = (await readRunContract(pool, settings, contract)).sessions;
    const result = await executeBacktest(pool, settings, { runId: backtestId, config, sessions });
    expect(result.signalSource).toBe('stored');
    const paper = await runRecords(pool, runId);
    const backtest = await runRecords(pool, backtestId);
    expect(paper.fills?.length).toBeGreaterThan(4);
    expect(paper.equity?.length).toBe(result.bars);
    expect(paper).toEqual(backtest);
    if (fillModel.includes('tick')) {
      // Filled on trades inside bars (stops and targets), not only at bar opens: the ticks were inputs.
      const times = (paper.fills as Array<{ time: Date }>).map((f) => f.time.getTime());
      expect(times.some((t) => t % FIVE_MIN !== 0)).toBe(true);
    }
  } finally {
    await ingester.stop();
    await analyzer.stop();
    await trader.stop();
    await pool.end();
  }
}

describe('backtest == paper through the live path', () => {
  it('on a synthetic 5m file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bs-live-bars-')), 'bars.csv');
    const bars = syntheticBars(800);
    writeFileSync(
      file,
      [
        'contract_id,timestamp,open,high,low,close,volume,timeframe_unit,timeframe_value',
        ...bars.map((b) => `SYN.MES,${new Date(b.time).toISOString()},${b.open},${b.high},${b.low},${b.close},${b.volume},2,5`),
      ].join('\n'),
    );
    await liveThenBacktest('SYN.MES', file, { fast: 5, slow: 12 });
  }, 180_000);

  it('tick model: on a replayed tick file (fills on the stored trades after the simulated latency)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bs-live-ticks-')), 'ticks.csv');
    const bars = syntheticBars(400, 5);
    const lines = ['contract_id,timestamp,price,volume'];
    for (const b of bars) {
      for (const t of barTradePath('SYN.TICK', b, b.time, b.time + FIVE_MIN))
        lines.push(`SYN.TICK,${new Date(t.time).toISOString()},${t.price},${t.volume}`);
    }
    writeFileSync(file, lines.join('\n'));
    await liveThenBacktest('SYN.TICK', file, { fast: 5, slow: 12 }, '{ type: tick, seed: 3 }');
  }, 180_000);

  it.skipIf(!hasSharedData)(
    'on the real MES 5m file (../shared/data/mes)',
    async () => {
      await liveThenBacktest('CON.F.US.MES.M25', `${MES_DIR}MES_M25_5m.csv`, { fast: 20, slow: 50 });
    },
    300_000,
  );
});

// The trader under SIGKILL: a paper run follows bars and signals stored chunk by chunk (the analyzer's
// part played by hand, watermark included) while the trader process is killed at random moments and
// restarted; at the end its stored orders, order events, fills, positions, round trips and equity points
// must equal an uninterrupted backtest of the same run: 0 duplicate orders, 0 lost fills, same equity.
// With `fillModel: 'tick'` each chunk's trades (the bars' trade paths) are stored and NOTIFYd on
// tick_data_channel before its bars, so the run also fills on trades of the forming bar between kills.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { barTradePath, channels, type OhlcBar } from '@barstream/core';
import { parseSettings } from '@barstream/core/node';
import pg from 'pg';
import { seededRandom } from '../../ingester/src/providers/seeded-random.ts';
import { applyMigrations } from '../../prisma/index.ts';
import { startEmbeddedDatabase } from '../../scripts/lib/embedded-database.ts';
import { freePort } from '../support/free-port.ts';
import { backtestOfPaperRun, CONTRACT_SETTINGS, paperStrategyFile } from '../support/paper-backtest.ts';
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
import { ServiceProcess } from './service-process.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

export interface TraderChaosReport {
  readonly kills: number;
  readonly bars: number;
  readonly fills: number;
  readonly orders: number;
  readonly differences: string[];
  readonly crashes: number;
}

export async function runTraderChaos(options: {
  bars: number;
  seed: number;
  fillModel?: 'bar' | 'tick';
  log?: (l: string) => void;
}): Promise<TraderChaosReport> {
  const tickModel = options.fillModel === 'tick';
  const log = options.log ?? (() => undefined);
  const random = seededRandom(options.seed);
  const dir = mkdtempSync(join(tmpdir(), 'barstream-trader-chaos-'));
  const port = await freePort();
  const db = await startEmbeddedDatabase({ dataDir: join(dir, 'pg'), port });
  const pool = new pg.Pool({ connectionString: db.url, max: 3 });
  pool.on('error', () => undefined);
  try {
    await applyMigrations(db.url);
    const strategyDir = mkdtempSync(join(dir, 'strategies-'));
    writeFileSync(
      join(strategyDir, 'chaos-paper.yaml'),
      paperStrategyFile('chaos-paper', { slippageTicks: 1, fillModel: tickModel ? 'tick' : 'bar' }),
    );
    const raw = {
      contracts: [CONTRACT_SETTINGS],
      ingester: { contracts: [CONTRACT] },
      trader: { metrics_port: await freePort(), strategies_dir: strategyDir, scan_interval_ms: 100 },
      logging: { level: 'warn' },
    };
    const config = join(dir, 'settings.yaml');
    writeFileSync(config, JSON.stringify(raw));
    const settings = parseSettings(raw);
    await insertContract(pool);
    const trader = new ServiceProcess('trader', { ...process.env, BARSTREAM_CONFIG: config, DATABASE_URL: db.url }, ROOT);
    trader.start();
    // The paper run exists (created before any bar: it trades from the first one).
    const runId = await until(async () =>
      Number((await pool.query<{ id: string }>(`SELECT run_id::text AS id FROM strategy_runs WHERE kind = 'paper'`)).rows[0]?.id ?? NaN),
    );
    const bars = syntheticBars(options.bars, options.seed);
    const analyzer = new HandAnalyzer(pool, bars);
    let fed = 0;
    let nextKill = Date.now() + 300 + random() * 1_500;
    while (fed < bars.length) {
      const n = Math.min(bars.length, fed + 1 + Math.floor(random() * 20));
      if (tickModel) {
        await insertTrades(pool, bars.slice(fed, n));
        await new Promise((r) => setTimeout(r, random() * 30));
      }
      await insertBars(pool, bars.slice(fed, n));
      await analyzer.advanceTo(n);
      fed = n;
      await new Promise((r) => setTimeout(r, 10 + random() * 60));
      if (Date.now() >= nextKill) {
        trader.kill();
        log(`kill -9 trader at bar ${fed}`);
        await new Promise((r) => setTimeout(r, 100 + random() * 400));
        trader.start();
        nextKill = Date.now() + 300 + random() * 1_500;
      }
    }
    const lastKey = START + bars.length * FIVE_MIN - 1;
    await until(async () => {
      const { rows } = await pool.query<{ w: number | null }>(
        'SELECT (extract(epoch FROM watermark) * 1000)::float8 AS w FROM strategy_runs WHERE run_id = $1',
        [runId],
      );
      return rows[0]?.w === lastKey ? true : NaN;
    });
    await trader.stop();

    const backtestId = await backtestOfPaperRun(pool, settings, runId, lastKey);
    const paper = await runRecords(pool, runId);
    const backtest = await runRecords(pool, backtestId);
    const differences: string[] = [];
    for (const table of Object.keys(backtest)) {
      const a = paper[table] ?? [];
      const b = backtest[table] ?? [];
      if (a.length !== b.length) differences.push(`${table}: ${a.length} rows after kills, ${b.length} uninterrupted`);
      else
        a.forEach(
          (row, i) =>
            !isDeepStrictEqual(row, b[i]) && differences.push(`${table}[${i}]: ${JSON.stringify(row)} != ${JSON.stringify(b[i])}`),
        );
    }
    return {
      kills: trader.kills,
      bars: bars.length,
      fills: backtest.fills?.length ?? 0,
      orders: backtest.orders?.length ?? 0,
      differences,
      crashes: trader.crashes,
    };
  } finally {
    await pool.end();
    await db.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Stores the trade paths of `bars` (microsecond times inside each) and NOTIFYs them, as an ingester flush does. */
async function insertTrades(pool: pg.Pool, bars: readonly OhlcBar[]): Promise<void> {
  const trades = bars.flatMap((b) => barTradePath(CONTRACT, b, b.time + 0.5, b.time + FIVE_MIN - 1));
  // The trader reads trades from the table: the NOTIFY only wakes it (a chunk's ticks would pass 8000 bytes).
  const payload = JSON.stringify({ type: 'ticks', contract_id: CONTRACT, ticks: [] });
  await pool.query(
    `WITH t AS (INSERT INTO ticks (contract_id, "timestamp", price, volume)
       SELECT $1, to_timestamp(x / 1000.0), p, v FROM unnest($2::float8[], $3::float8[], $4::float8[]) AS u(x, p, v) RETURNING 1)
     SELECT pg_notify($5, $6) FROM (SELECT count(*) FROM t) c`,
    [CONTRACT, trades.map((t) => t.time), trades.map((t) => t.price), trades.map((t) => t.volume), channels.tickData.name, payload],
  );
}

/** Polls `f` until it returns something other than NaN (60 s at most). */
async function until<T>(f: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const v = await f().catch(() => NaN as T);
    if (!(typeof v === 'number' && Number.isNaN(v))) return v;
    if (Date.now() > deadline) throw new Error('trader chaos: condition not met in 60 s');
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Two trader processes on one database (issue #18, scale-out): each strategy file's paper run is
// created once, the two runs are split one each by lease, and when one trader is SIGKILLed while it has
// signals to trade the other reopens its run from what it stored, within a few lease cycles; each run's
// orders and fills equal an uninterrupted backtest over the same bars, none missing or doubled.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { createPool, parseSettings, type Pool } from '@barstream/core/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ServiceProcess } from '../chaos/service-process.ts';
import { freePort } from '../support/free-port.ts';
import { backtestOfPaperRun, CONTRACT_SETTINGS, paperStrategyFile } from '../support/paper-backtest.ts';
import { heldLeases, leaseHealth, takeover } from '../support/lease-health.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { untilServices } from '../support/until-services.ts';
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

const ROOT = new URL('../../', import.meta.url).pathname;
const RETRY_MS = 100;
/** Lease cycles the survivor may need once PostgreSQL has reaped the killed session (it then counts
 * itself alone): that cycle's acquire may have run before the reap, the next one takes the units. How
 * long the reap takes depends on the machine's load, not on the survivor, so it is not counted. */
const MAX_TAKEOVER_CYCLES = 2;
/** Long enough for two service starts through tsx on a loaded machine; conditions end it early. */
const WAIT_MS = 120_000;

let db: TestDatabase;
let pool: Pool;
let dir: string;
const processes: ServiceProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPool(db.url, { max: 4 });
  dir = mkdtempSync(join(tmpdir(), 'bs-standby-trader-'));
  for (const id of ['paper-a', 'paper-b']) writeFileSync(join(dir, `${id}.yaml`), paperStrategyFile(id));
  await insertContract(pool);
});
afterEach(async () => {
  for (const p of processes.splice(0)) await p.stop();
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** Waits for a condition; on a timeout (or a crash) the error carries the traders' last output. */
const until = (check: () => Promise<boolean> | boolean, what: string): Promise<void> =>
  untilServices(processes, 'trader', check, what, WAIT_MS);

describe('two traders', () => {
  it('split the paper runs, take one over after a SIGKILL, and store each run as a backtest would', async () => {
    const raw = {
      contracts: [CONTRACT_SETTINGS],
      ingester: { contracts: [CONTRACT] },
      trader: { metrics_port: 0, strategies_dir: dir, scan_interval_ms: 100 },
      leases: { retry_ms: RETRY_MS },
    };
    const settings = parseSettings(raw);
    const configFile = join(dir, 'trader.json');
    writeFileSync(configFile, JSON.stringify({ ...raw, logging: { level: 'warn' } }));
    const start = async () => {
      const port = await freePort();
      const env = { ...process.env, BARSTREAM_CONFIG: configFile, DATABASE_URL: db.url, TRADER_METRICS_PORT: String(port) };
      const p = new ServiceProcess('trader', env, ROOT);
      processes.push(p);
      p.start();
      return { process: p, port };
    };
    const [a, b] = [await start(), await start()];
    await until(async () => (await heldLeases(a.port)).length === 1 && (await heldLeases(b.port)).length === 1, 'a 1/1 split of the runs');
    const { rows: runs } = await pool.query<{ id: string }>(
      `SELECT run_id::text AS id FROM strategy_runs WHERE kind = 'paper' ORDER BY run_id`,
    );
    expect(runs).toHaveLength(2);

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
    await until(() => watermarks(lastKey(200)), 'both runs at bar 200');
    // More signals, and A dies with them to trade; B reopens its run from what it stored.
    await analyzer.advanceTo(300);
    const cyclesAtKill = (await leaseHealth(b.port))?.cycles ?? 0;
    a.process.kill();
    const killedRun = (
      await pool.query<{ behind: boolean }>(
        `SELECT watermark < to_timestamp($1::float8 / 1000) AS behind FROM strategy_runs WHERE kind = 'paper' AND run_id::text <> ALL($2::text[])`,
        [lastKey(300), await heldLeases(b.port)],
      )
    ).rows[0];
    const took = await takeover(b.port, cyclesAtKill, (h) => h.held.length === 2, until);
    expect(took.sinceReap).toBeLessThanOrEqual(MAX_TAKEOVER_CYCLES);
    console.log(
      `[standby] trader run taken over after ${took.sinceKill} lease cycles (${took.sinceReap} after the reap); the killed run was ${killedRun?.behind ? 'still trading' : 'done'} with bar 300's signals`,
    );
    await until(() => watermarks(lastKey(300)), 'both runs at bar 300');
    await analyzer.advanceTo(400);
    await until(() => watermarks(lastKey(400)), 'both runs at bar 400');
    await b.process.stop();

    const backtestId = await backtestOfPaperRun(pool, settings, Number(runs[0]?.id), lastKey(400));
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
  }, 400_000);
});

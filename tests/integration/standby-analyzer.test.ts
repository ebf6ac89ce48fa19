// Two analyzer processes on one database (issue #18, scale-out): they split the targets by lease, every
// target is processed by one of them only, and the stored signals equal a single analyzer's on the same
// bars; SIGKILL one while it has bars to process and the other takes its targets over from their
// watermarks within a few lease cycles.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ContractBar, OhlcBar } from '../../core/src/index.ts';
import { parseSettings } from '../../core/src/node/load-config.ts';
import { createPool, type Pool } from '../../core/src/node/db-pool.ts';
import { AnalyzerService } from '../../analyzer/src/analyzer-service.ts';
import { writeFlush } from '../../ingester/src/bar-store.ts';
import { ServiceProcess } from '../chaos/service-process.ts';
import { freePort } from '../support/free-port.ts';
import { heldLeases, leaseHealth, takeover } from '../support/lease-health.ts';
import { quietLogger } from '../support/quiet-logger.ts';
import { syntheticBars } from '../support/synthetic-bars.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { untilServices } from '../support/until-services.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const CONTRACTS = ['SIM.AA', 'SIM.BB'];
const RETRY_MS = 100;
/** Lease cycles the survivor may need once PostgreSQL has reaped the killed session (it then counts
 * itself alone): that cycle's acquire may have run before the reap, the next one takes the units. How
 * long the reap takes depends on the machine's load, not on the survivor, so it is not counted. */
const MAX_TAKEOVER_CYCLES = 2;
/** Long enough for two service starts through tsx on a loaded machine; conditions end it early. */
const WAIT_MS = 120_000;
const raw = (leases: boolean) => ({
  contracts: CONTRACTS.map((id) => ({ id, provider: 'simulated', symbol: id, tick_size: 0.25, session_calendar: 'utc' })),
  ingester: { contracts: CONTRACTS },
  analyzer: {
    metrics_port: 0,
    targets: CONTRACTS.flatMap((c) => [
      { analyzer_id: 'trend', strategy: 'cus_cds_trend_finder', contract_id: c, timeframes: ['1h'] },
      { analyzer_id: 'ema', strategy: 'ema_cross_rsi', contract_id: c, timeframes: ['1h'], params: { fast: 5, slow: 12 } },
    ]),
  },
  leases: { enabled: leases, retry_ms: RETRY_MS },
  logging: { level: 'warn' },
});
const config = (leases: boolean) => parseSettings(raw(leases));

const START = Date.UTC(2025, 0, 6);
const bars = new Map(CONTRACTS.map((c, i) => [c, syntheticBars(600, { start: START, stepMs: 3_600_000, seed: 11 + i })]));

let dir: string;
const processes: ServiceProcess[] = [];
let shared: TestDatabase;
let single: TestDatabase;
let sharedPool: Pool;
let singlePool: Pool;
beforeAll(async () => {
  [shared, single] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  sharedPool = createPool(shared.url, { max: 2 });
  singlePool = createPool(single.url, { max: 2 });
  dir = mkdtempSync(join(tmpdir(), 'barstream-standby-analyzer-'));
});
afterEach(async () => {
  for (const p of processes.splice(0)) await p.stop();
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await sharedPool?.end();
  await singlePool?.end();
  await shared?.drop();
  await single?.drop();
});

async function writeBars(pool: Pool, from: number, to: number): Promise<void> {
  for (const [contractId, series] of bars) {
    const rows = series.slice(from, to).map((b: OhlcBar): ContractBar => ({ ...b, contractId, unit: 3, value: 1, isClosed: true }));
    for (let i = 0; i < rows.length; i += 100) await writeFlush(pool, rows.slice(i, i + 100), []);
  }
}

/** Every target's watermark reached the bar `index`. */
async function processedTo(pool: Pool, index: number): Promise<void> {
  const time = new Date(START + index * 3_600_000);
  await until(async () => {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM analyzer_watermarks WHERE last_processed_timestamp >= $1`,
      [time],
    );
    return rows[0]?.n === CONTRACTS.length * 2;
  }, `every target processed to bar ${index}`);
}

/** Waits for a condition; on a timeout (or a crash) the error carries the analyzers' last output. */
const until = (check: () => Promise<boolean> | boolean, what: string): Promise<void> =>
  untilServices(processes, 'analyzer', check, what, WAIT_MS);

async function analyzerProcess(): Promise<{ process: ServiceProcess; port: number }> {
  const port = await freePort();
  const file = join(dir, 'analyzer.yaml');
  writeFileSync(file, JSON.stringify(raw(true)));
  const env = { ...process.env, BARSTREAM_CONFIG: file, DATABASE_URL: shared.url, ANALYZER_METRICS_PORT: String(port) };
  const p = new ServiceProcess('analyzer', env, ROOT);
  processes.push(p);
  p.start();
  return { process: p, port };
}

async function signals(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ s: string }>(
    `SELECT concat_ws('|', analyzer_id, contract_id, timeframe, "timestamp", signal_type, signal_price) AS s FROM detected_signals ORDER BY 1`,
  );
  return rows.map((r) => r.s);
}

describe('two analyzers', () => {
  it('split the targets, store each signal once, equal to a single analyzer; a survivor takes over after a SIGKILL', async () => {
    const [a, b] = [await analyzerProcess(), await analyzerProcess()];
    await until(async () => (await heldLeases(a.port)).length === 2 && (await heldLeases(b.port)).length === 2, 'a 2/2 split');
    const split = [...(await heldLeases(a.port)), ...(await heldLeases(b.port))];
    expect(new Set(split).size).toBe(4);

    await writeBars(sharedPool, 0, 400);
    await processedTo(sharedPool, 399);
    // More bars, and A dies while they are NOTIFYed (its targets' work pending or under way); B resumes
    // them from their watermarks.
    await writeBars(sharedPool, 400, 500);
    const cyclesAtKill = (await leaseHealth(b.port))?.cycles ?? 0;
    a.process.kill();
    const { rows: atKill } = await sharedPool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM analyzer_watermarks WHERE last_processed_timestamp >= $1`,
      [new Date(START + 499 * 3_600_000)],
    );
    const took = await takeover(b.port, cyclesAtKill, (h) => h.held.length === 4, until);
    expect(took.sinceReap).toBeLessThanOrEqual(MAX_TAKEOVER_CYCLES);
    console.log(
      `[standby] analyzer targets taken over after ${took.sinceKill} lease cycles (${took.sinceReap} after the reap); ${atKill[0]?.n ?? 0} of 4 targets had processed the new bars at the kill`,
    );
    await processedTo(sharedPool, 499);
    await writeBars(sharedPool, 500, 600);
    await processedTo(sharedPool, 599);
    await b.process.stop();

    const alone = new AnalyzerService({
      settings: config(false),
      databaseUrl: single.url,
      logger: quietLogger('analyzer'),
      metricsPort: 0,
    });
    await alone.start();
    await writeBars(singlePool, 0, 400);
    await processedTo(singlePool, 399);
    await writeBars(singlePool, 400, 600);
    await processedTo(singlePool, 599);
    await alone.stop();

    const [two, one] = [await signals(sharedPool), await signals(singlePool)];
    expect(one.length).toBeGreaterThan(20);
    expect(new Set(two).size).toBe(two.length);
    expect(two).toEqual(one);
  }, 400_000);
});

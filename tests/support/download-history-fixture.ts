// Shared setup of the download-history integration tests: a test database, the fake ProjectX Gateway
// (a week of CME 1-minute MES bars) and the fake Binance, reset before each test; the sources,
// requests and read-backs the tests use. Call useDownloadHistoryFixture() once at the top of a test file.
import { afterAll, beforeAll, beforeEach } from 'vitest';
import {
  CME_CALENDAR,
  type ContractSettings,
  DAY_MS,
  sleep,
  type OhlcBar,
  parseTimeframe,
  SessionCalendar,
  type Timeframe,
} from '../../core/src/index.ts';
import { parseSettings } from '../../core/src/node/load-config.ts';
import { createPool, type Pool } from '../../core/src/node/db-pool.ts';
import { BinanceRestClient } from '../../ingester/src/providers/binance/binance-rest-client.ts';
import { ProjectXRestClient } from '../../ingester/src/providers/projectx/projectx-rest-client.ts';
import type { DownloadRequest } from '../../scripts/lib/history/download-history.ts';
import { binanceSource, projectXSource } from '../../scripts/lib/history/history-source.ts';
import { FakeBinanceServer, klineSeries } from '../fakes/binance-server.ts';
import { FakeProjectXServer, type FakeBar } from '../fakes/projectx-server.ts';
import { quietLogger } from './quiet-logger.ts';
import { syntheticBars } from './synthetic-bars.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

export const MINUTE = 60_000;
export const BARS = '/api/History/retrieveBars';
export const MES = 'CON.F.US.MES.H25';
export const ONE_MINUTE = parseTimeframe('1m');
export const cme = new SessionCalendar(CME_CALENDAR);
export const settings = parseSettings({
  contracts: [{ id: 'SIM.MES', provider: 'simulated', symbol: 'SIM.MES', tick_size: 0.25, session_calendar: 'utc' }],
  ingester: { contracts: ['SIM.MES'] },
});
export const mesContract: ContractSettings = {
  id: MES,
  provider: 'projectx',
  symbol: 'MES',
  name: 'MESH5',
  description: '',
  tick_size: 0.25,
  session_calendar: 'cme_globex',
};
export const btcContract: ContractSettings = {
  id: 'BTCUSDT',
  provider: 'binance',
  symbol: 'BTCUSDT',
  name: 'BTCUSDT',
  description: '',
  tick_size: 0.01,
  session_calendar: 'utc',
};

export const date = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);
// Mon 6 – Fri 10 January 2025: five CME sessions, 17:00–16:00 Chicago (23:00–22:00 UTC in winter).
export const MONDAY = date('2025-01-06');
export const FRIDAY = date('2025-01-10');

/** 1-minute bars over whole CME sessions (the break and the weekend have none, like the real feed). */
function cmeMinuteBars(firstDate: number, lastDate: number): FakeBar[] {
  const times: number[] = [];
  for (let d = firstDate; d <= lastDate; d += DAY_MS) {
    const weekday = new Date(d).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const open = cme.sessionOpen(d);
    for (let t = open; t < open + 23 * 60 * MINUTE; t += MINUTE) times.push(t);
  }
  return syntheticBars(times.length, { start: 0, stepMs: 1, seed: 7 }).map((b, i) => ({ ...b, time: times[i] as number }));
}

// Assigned by useDownloadHistoryFixture()'s beforeAll; live bindings, so importers see the values.
export let db: TestDatabase;
export let pool: Pool;
export let projectx: FakeProjectXServer;
export let binance: FakeBinanceServer;
export const mesBars = cmeMinuteBars(MONDAY, FRIDAY);

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export function mesSource(options: { pageLimit?: number; sleep?: Sleep } = {}) {
  return projectXSource(
    new ProjectXRestClient({
      apiUrl: projectx.url,
      username: 'alice',
      apiKey: 'secret',
      live: false,
      tokenRefreshMs: 3_600_000,
      logger: quietLogger('projectx'),
      barsPageLimit: options.pageLimit,
      rateLimit: { maxCalls: 1_000, windowMs: 1_000 },
      backoff: { initialMs: 10, maxMs: 50 },
      sleep: options.sleep,
    }),
    settings,
  );
}

export function btcSource(options: { sleep?: Sleep; now?: () => number } = {}) {
  return binanceSource(
    new BinanceRestClient({
      restUrl: binance.restUrl,
      logger: quietLogger('binance'),
      maxAttempts: 2,
      backoff: { initialMs: 10, maxMs: 20 },
      ...options,
    }),
    settings,
  );
}

/** A real sleep that records the waits asked for: asserted instead of timing the run. */
export function recordingSleep(): { waits: number[]; sleep: Sleep } {
  const waits: number[] = [];
  return {
    waits,
    sleep: (ms, signal) => {
      waits.push(ms);
      return sleep(ms, signal);
    },
  };
}

export const mesRequest = (overrides: Partial<DownloadRequest> = {}): DownloadRequest => ({
  contracts: [mesContract],
  timeframes: [ONE_MINUTE],
  range: { startDate: MONDAY, endDate: FRIDAY },
  force: false,
  dryRun: false,
  ...overrides,
});

/** Three days of Binance 1-minute klines from 1 March 2024: set on the fake by the Binance describes. */
export const btcStart = date('2024-03-01');
export const btcKlines = klineSeries(btcStart, 3 * 1_440, MINUTE);
export const btcRequest = (overrides: Partial<DownloadRequest> = {}): DownloadRequest => ({
  contracts: [btcContract],
  timeframes: [ONE_MINUTE],
  range: { startDate: btcStart, endDate: btcStart + 2 * DAY_MS },
  force: false,
  dryRun: false,
  ...overrides,
});

/** Every stored bar without updated_at, in key order: what "the same table" means. */
export async function snapshot(p: Pool): Promise<unknown[]> {
  const { rows } = await p.query<
    Record<string, unknown>
  >(`SELECT contract_id, "timestamp", open, high, low, close, volume, timeframe_unit, timeframe_value, timeframe, is_closed
    FROM ohlc_bars ORDER BY contract_id, timeframe_unit, timeframe_value, "timestamp"`);
  return rows;
}

export async function storedBars(contractId: string, tf: Timeframe): Promise<OhlcBar[]> {
  const { rows } = await pool.query<{ t: number; open: number; high: number; low: number; close: number; volume: number }>(
    `SELECT (extract(epoch FROM "timestamp") * 1000)::float8 AS t, open, high, low, close, volume FROM ohlc_bars
      WHERE contract_id = $1 AND timeframe_unit = $2 AND timeframe_value = $3 AND is_closed ORDER BY 1`,
    [contractId, tf.unit, tf.value],
  );
  return rows.map((r) => ({ time: r.t, open: r.open, high: r.high, low: r.low, close: r.close, volume: r.volume }));
}

export const barCalls = (): number => projectx.rest.callsTo(BARS).length;

/** Registers the file's hooks: database and fakes up once, an empty table and clean fakes before each test. */
export function useDownloadHistoryFixture(): void {
  beforeAll(async () => {
    db = await createTestDatabase();
    pool = createPool(db.url, { max: 4 });
    projectx = await FakeProjectXServer.start({
      username: 'alice',
      apiKey: 'secret',
      bars: mesBars,
      contracts: [
        {
          id: MES,
          name: 'MESH5',
          description: 'Micro E-mini S&P 500: March 2025',
          tickSize: 0.25,
          tickValue: 1.25,
          activeContract: true,
          symbolId: 'F.US.MES',
        },
      ],
    });
    binance = await FakeBinanceServer.start();
  });
  afterAll(async () => {
    await projectx?.close();
    await binance?.close();
    await pool?.end();
    await db?.drop();
  });
  beforeEach(async () => {
    await pool.query('TRUNCATE ohlc_bars');
    projectx.rest.calls.length = 0;
    projectx.rest.bars = mesBars;
    projectx.rest.clearFailures();
    binance.klineRequests.length = 0;
  });
}

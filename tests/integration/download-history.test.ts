// Historical download against the local fake ProjectX Gateway and fake Binance: paging both ways,
// 429s, resume after an interruption, --dry-run, bars_imported per written range, gaps per the calendar.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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
import { downloadHistory, type DownloadDeps, type DownloadRequest, type WindowResult } from '../../scripts/lib/history/download-history.ts';
import { binanceSource, projectXSource } from '../../scripts/lib/history/history-source.ts';
import { FakeBinanceServer, klineSeries } from '../fakes/binance-server.ts';
import { FakeProjectXServer, type FakeBar } from '../fakes/projectx-server.ts';
import { quietLogger } from '../support/quiet-logger.ts';
import { syntheticBars } from '../support/synthetic-bars.ts';
import { ChannelListener } from '../support/channel-listener.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

const MINUTE = 60_000;
const BARS = '/api/History/retrieveBars';
const MES = 'CON.F.US.MES.H25';
const ONE_MINUTE = parseTimeframe('1m');
const cme = new SessionCalendar(CME_CALENDAR);
const settings = parseSettings({
  contracts: [{ id: 'SIM.MES', provider: 'simulated', symbol: 'SIM.MES', tick_size: 0.25, session_calendar: 'utc' }],
  ingester: { contracts: ['SIM.MES'] },
});
const mesContract: ContractSettings = {
  id: MES,
  provider: 'projectx',
  symbol: 'MES',
  name: 'MESH5',
  description: '',
  tick_size: 0.25,
  session_calendar: 'cme_globex',
};
const btcContract: ContractSettings = {
  id: 'BTCUSDT',
  provider: 'binance',
  symbol: 'BTCUSDT',
  name: 'BTCUSDT',
  description: '',
  tick_size: 0.01,
  session_calendar: 'utc',
};

const date = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);
// Mon 6 – Fri 10 January 2025: five CME sessions, 17:00–16:00 Chicago (23:00–22:00 UTC in winter).
const MONDAY = date('2025-01-06');
const FRIDAY = date('2025-01-10');

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

let db: TestDatabase;
let pool: Pool;
let projectx: FakeProjectXServer;
let binance: FakeBinanceServer;
const mesBars = cmeMinuteBars(MONDAY, FRIDAY);

type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

function mesSource(options: { pageLimit?: number; sleep?: Sleep } = {}) {
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

function btcSource(options: { sleep?: Sleep; now?: () => number } = {}) {
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
function recordingSleep(): { waits: number[]; sleep: Sleep } {
  const waits: number[] = [];
  return {
    waits,
    sleep: (ms, signal) => {
      waits.push(ms);
      return sleep(ms, signal);
    },
  };
}

const mesRequest = (overrides: Partial<DownloadRequest> = {}): DownloadRequest => ({
  contracts: [mesContract],
  timeframes: [ONE_MINUTE],
  range: { startDate: MONDAY, endDate: FRIDAY },
  force: false,
  dryRun: false,
  ...overrides,
});

/** Every stored bar without updated_at, in key order: what "the same table" means. */
async function snapshot(p: Pool): Promise<unknown[]> {
  const { rows } = await p.query<
    Record<string, unknown>
  >(`SELECT contract_id, "timestamp", open, high, low, close, volume, timeframe_unit, timeframe_value, timeframe, is_closed
    FROM ohlc_bars ORDER BY contract_id, timeframe_unit, timeframe_value, "timestamp"`);
  return rows;
}

async function storedBars(contractId: string, tf: Timeframe): Promise<OhlcBar[]> {
  const { rows } = await pool.query<{ t: number; open: number; high: number; low: number; close: number; volume: number }>(
    `SELECT (extract(epoch FROM "timestamp") * 1000)::float8 AS t, open, high, low, close, volume FROM ohlc_bars
      WHERE contract_id = $1 AND timeframe_unit = $2 AND timeframe_value = $3 AND is_closed ORDER BY 1`,
    [contractId, tf.unit, tf.value],
  );
  return rows.map((r) => ({ time: r.t, open: r.open, high: r.high, low: r.low, close: r.close, volume: r.volume }));
}

const barCalls = (): number => projectx.rest.callsTo(BARS).length;

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

describe('download from ProjectX (pages newest first)', () => {
  it('covers a week in one window, paging backwards, and stores every bar closed with its timeframe label', async () => {
    const deps: DownloadDeps = { pool, source: mesSource({ pageLimit: 1_000 }), settings, windowBars: 7_000 };
    const summary = await downloadHistory(mesRequest(), deps);
    expect(summary.series[0]).toMatchObject({ outcome: 'done', windows: 1, fetched: 6_900, inserted: 6_900, updated: 0, unchanged: 0 });
    expect(await storedBars(MES, ONE_MINUTE)).toEqual(mesBars);
    // Page 1 brings 1,000 bars; each next page ends at the oldest bar so far (inclusively, so one repeats):
    // 1 + ceil(5,900 / 999) = 7 calls.
    const calls = projectx.rest.callsTo(BARS);
    expect(calls).toHaveLength(7);
    const ends = calls.map((c) => Date.parse(String(c.body.endTime)));
    expect(ends[0]).toBe(cme.sessionOpen(FRIDAY + DAY_MS));
    for (let i = 1; i < ends.length; i++) expect(ends[i]).toBeLessThan(ends[i - 1] as number);
    expect(calls.every((c) => c.body.startTime === new Date(cme.sessionOpen(MONDAY)).toISOString() && c.body.limit === 1_000)).toBe(true);
    const labels = await pool.query(`SELECT DISTINCT timeframe, is_closed FROM ohlc_bars`);
    expect(labels.rows).toEqual([{ timeframe: '1m', is_closed: true }]);
  });

  it('asks at most 20,000 bars per call and splits the range into windows of whole days', async () => {
    const summary = await downloadHistory(mesRequest(), { pool, source: mesSource(), settings, windowBars: 3_000 });
    // Mon+Tue, Wed+Thu, Fri: 2,760 + 2,760 + 1,380 expected bars, one short page each.
    expect(summary.series[0]).toMatchObject({ windows: 3, fetched: 6_900, inserted: 6_900 });
    const calls = projectx.rest.callsTo(BARS);
    expect(calls.map((c) => c.body.limit)).toEqual([20_000, 20_000, 20_000]);
    expect(calls.map((c) => c.body.startTime)).toEqual(
      [MONDAY, MONDAY + 2 * DAY_MS, FRIDAY].map((d) => new Date(cme.sessionOpen(d)).toISOString()),
    );
    expect(await storedBars(MES, ONE_MINUTE)).toEqual(mesBars);
  });

  it('resolves a symbol to the active contract', async () => {
    expect((await mesSource().resolveContract('mes')).id).toBe(MES);
    await expect(mesSource().resolveContract('ZZZ')).rejects.toThrow(/--contracts: no ProjectX contract matches 'ZZZ'/);
  });

  it('waits out HTTP 429 (Retry-After) and completes', async () => {
    projectx.rest.failNext(BARS, 429, { retryAfter: '1', times: 1 });
    const recorder = recordingSleep();
    const summary = await downloadHistory(mesRequest(), { pool, source: mesSource({ sleep: recorder.sleep }), settings });
    expect(recorder.waits).toEqual([1_000]);
    expect(summary.series[0]).toMatchObject({ outcome: 'done', inserted: 6_900 });
    expect(projectx.rest.callsTo(BARS).map((c) => c.status)).toEqual([429, 200]);
  });

  it('skips what is stored: a second run fetches nothing and changes nothing; --force refetches, all unchanged', async () => {
    const deps: DownloadDeps = { pool, source: mesSource(), settings, windowBars: 3_000 };
    await downloadHistory(mesRequest(), deps);
    const before = await snapshot(pool);
    const calls = barCalls();
    const again = await downloadHistory(mesRequest(), deps);
    expect(again.series[0]).toMatchObject({ coveredChunks: 5, windows: 0, fetched: 0 });
    expect(barCalls()).toBe(calls);
    const forced = await downloadHistory(mesRequest({ force: true }), deps);
    expect(forced.series[0]).toMatchObject({ windows: 3, fetched: 6_900, inserted: 0, updated: 0, unchanged: 6_900 });
    expect(await snapshot(pool)).toEqual(before);
  });

  it('fetches again a day that was stored before it ended, and only that day', async () => {
    const deps: DownloadDeps = { pool, source: mesSource(), settings, windowBars: 3_000 };
    // As if downloaded on Friday at noon Chicago: Friday's session was still trading.
    const fridayNoon = cme.sessionOpen(FRIDAY) + 19 * 60 * MINUTE;
    projectx.rest.bars = mesBars.filter((b) => b.time < fridayNoon);
    await downloadHistory(mesRequest(), { ...deps, now: () => fridayNoon });
    // …and written then (the database stamps rows with its own clock).
    await pool.query(`UPDATE ohlc_bars SET updated_at = to_timestamp($1::float8 / 1000)`, [fridayNoon]);
    projectx.rest.bars = mesBars;
    projectx.rest.calls.length = 0;
    const later = await downloadHistory(mesRequest(), deps);
    expect(later.series[0]).toMatchObject({ coveredChunks: 4, windows: 1, inserted: 1_380 - 19 * 60, unchanged: 19 * 60 });
    expect(projectx.rest.callsTo(BARS).map((c) => c.body.startTime)).toEqual([new Date(cme.sessionOpen(FRIDAY)).toISOString()]);
    expect(await storedBars(MES, ONE_MINUTE)).toEqual(mesBars);
  });

  it('--dry-run plans without fetching bars or writing', async () => {
    const summary = await downloadHistory(mesRequest({ dryRun: true }), { pool, source: mesSource(), settings, windowBars: 3_000 });
    expect(summary.series[0]).toMatchObject({ outcome: 'planned', windows: 3, expected: 6_900, fetched: 0, inserted: 0 });
    expect(barCalls()).toBe(0);
    expect((await pool.query('SELECT count(*)::int AS n FROM ohlc_bars')).rows[0]).toEqual({ n: 0 });
  });

  it('reports gaps inside sessions only: not the daily break, not the weekend', async () => {
    // Tuesday 10:00-10:09 UTC missing; the range runs Sunday to Saturday, so the weekend is in it too.
    const hole = cme.sessionOpen(date('2025-01-07')) + 11 * 60 * MINUTE;
    projectx.rest.bars = mesBars.filter((b) => b.time < hole || b.time >= hole + 10 * MINUTE);
    const summary = await downloadHistory(mesRequest({ range: { startDate: date('2025-01-05'), endDate: date('2025-01-11') } }), {
      pool,
      source: mesSource(),
      settings,
    });
    expect(summary.series[0]?.gaps).toEqual({
      expected: 6_900,
      missing: 10,
      rangeCount: 1,
      ranges: [{ first: hole, last: hole + 9 * MINUTE, bars: 10 }],
    });
  });
});

describe('download from Binance (pages oldest first)', () => {
  const start = date('2024-03-01');
  const klines = klineSeries(start, 3 * 1_440, MINUTE);
  const btcRequest = (overrides: Partial<DownloadRequest> = {}): DownloadRequest => ({
    contracts: [btcContract],
    timeframes: [ONE_MINUTE],
    range: { startDate: start, endDate: start + 2 * DAY_MS },
    force: false,
    dryRun: false,
    ...overrides,
  });

  beforeEach(() => binance.setKlines('BTCUSDT', '1m', klines));

  it('pages forward 1,000 klines at a time over three days and stores them exactly', async () => {
    const summary = await downloadHistory(btcRequest(), { pool, source: btcSource(), settings });
    expect(summary.series[0]).toMatchObject({ outcome: 'done', windows: 1, fetched: 4_320, inserted: 4_320 });
    expect(binance.klineRequests.map((r) => Number(r.query.startTime))).toEqual([0, 1, 2, 3, 4].map((i) => start + i * 1_000 * MINUTE));
    expect(binance.klineRequests.every((r) => r.query.limit === '1000' && r.query.endTime === String(start + 3 * DAY_MS - 1))).toBe(true);
    expect(await storedBars('BTCUSDT', ONE_MINUTE)).toEqual(
      klines.map((k) => ({
        time: k.openTime,
        open: Number(k.open),
        high: Number(k.high),
        low: Number(k.low),
        close: Number(k.close),
        volume: Number(k.volume),
      })),
    );
    // UTC trades around the clock: every minute is expected and present.
    expect(summary.series[0]?.gaps).toMatchObject({ expected: 4_320, missing: 0 });
  });

  it.each([429, 418])('honours Retry-After on %i', async (status) => {
    binance.forceNext({ status, retryAfterSec: 1 });
    // The client's clock moves only by the waits it asks for: the request gate's wait is exactly the Retry-After.
    const waits: number[] = [];
    let clock = Date.now();
    const fakeSleep = (ms: number): Promise<void> => {
      waits.push(ms);
      clock += ms;
      return Promise.resolve();
    };
    const summary = await downloadHistory(btcRequest(), { pool, source: btcSource({ sleep: fakeSleep, now: () => clock }), settings });
    expect(waits).toEqual([1_000]);
    expect(summary.series[0]).toMatchObject({ outcome: 'done', inserted: 4_320 });
    expect(binance.klineRequests.map((r) => r.status)).toEqual([status, 200, 200, 200, 200, 200]);
  });

  it('after the provider fails mid-way, a rerun completes the table exactly as one clean run', async () => {
    const deps: DownloadDeps = { pool, source: btcSource(), settings, windowBars: 1_000 };
    let written = 0;
    const failing = await downloadHistory(btcRequest(), {
      ...deps,
      progress: {
        written: () => {
          // After the first window is stored, the next request fails both of the client's attempts.
          if (++written === 1)
            binance.forceNext(...Array.from({ length: 2 }, () => ({ status: 500, body: { code: -1000, msg: 'unknown' } })));
        },
      },
    });
    expect(failing.failed).toBe(true);
    expect(failing.series[0]?.error).toMatch(/500/);
    const partial = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM ohlc_bars')).rows[0]!.n;
    expect(partial % 1_440).toBe(0);
    expect(partial).toBeLessThan(4_320);

    const resumed = await downloadHistory(btcRequest(), deps);
    expect(resumed.series[0]).toMatchObject({ outcome: 'done', coveredChunks: partial / 1_440, inserted: 4_320 - partial, unchanged: 0 });

    const clean = await createTestDatabase();
    const cleanPool = createPool(clean.url);
    try {
      await downloadHistory(btcRequest(), { ...deps, pool: cleanPool });
      expect(await snapshot(pool)).toEqual(await snapshot(cleanPool));
    } finally {
      await cleanPool.end();
      await clean.drop();
    }
  });
});

describe('interruption', () => {
  it('stops after the window being written when aborted; a rerun ends with the table of one uninterrupted run', async () => {
    const controller = new AbortController();
    const written: WindowResult[] = [];
    const deps: DownloadDeps = { pool, source: mesSource(), settings, windowBars: 1_500 };
    const interrupted = await downloadHistory(mesRequest(), {
      ...deps,
      signal: controller.signal,
      progress: {
        written: (_s, r) => {
          written.push(r);
          if (written.length === 2) controller.abort(new Error('SIGINT'));
        },
      },
    });
    expect(interrupted.interrupted).toBe(true);
    expect(interrupted.series[0]?.outcome).toBe('interrupted');
    // Whole windows only: exactly the two that were reported written.
    expect((await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM ohlc_bars')).rows[0]?.n).toBe(2 * 1_380);

    const resumed = await downloadHistory(mesRequest(), deps);
    expect(resumed.series[0]).toMatchObject({ outcome: 'done', coveredChunks: 2, inserted: 3 * 1_380, updated: 0, unchanged: 0 });

    const clean = await createTestDatabase();
    const cleanPool = createPool(clean.url);
    try {
      await downloadHistory(mesRequest(), { ...deps, pool: cleanPool });
      expect(await snapshot(pool)).toEqual(await snapshot(cleanPool));
    } finally {
      await cleanPool.end();
      await clean.drop();
    }
  });
});

describe('bars_imported', () => {
  it('is sent once per written range, with the range of changed bars and their count; never when nothing changed', async () => {
    const listener = await ChannelListener.listen(db.url, 'barsImported');
    try {
      const deps: DownloadDeps = { pool, source: mesSource(), settings, windowBars: 3_000 };
      await downloadHistory(mesRequest(), deps);
      await downloadHistory(mesRequest({ force: true }), deps);
      const received = await listener.take(3);
      const day = (d: number) => mesBars.filter((b) => b.time >= cme.sessionOpen(d) && b.time < cme.sessionOpen(d + DAY_MS));
      const expected = [
        [MONDAY, MONDAY + DAY_MS],
        [MONDAY + 2 * DAY_MS, MONDAY + 3 * DAY_MS],
        [FRIDAY, FRIDAY],
      ].map(([a, b]) => {
        const bars = [...day(a as number), ...(a === b ? [] : day(b as number))];
        return {
          type: 'bars_imported',
          contract_id: MES,
          timeframe_unit: 2,
          timeframe_value: 1,
          from: new Date((bars[0] as FakeBar).time).toISOString(),
          to: new Date((bars[bars.length - 1] as FakeBar).time).toISOString(),
          count: bars.length,
        };
      });
      expect(received).toEqual(expected);
    } finally {
      await listener.end();
    }
  });
});

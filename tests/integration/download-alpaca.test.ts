// `npm run download -- --provider alpaca`: US stock bars from the fake Alpaca into ohlc_bars, one line
// per range and the summary; resumable: a rerun fetches nothing, and after a failure mid-way a rerun
// completes the table exactly as one clean run.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DAY_MS, parseTimeframe, type ContractSettings } from '../../core/src/index.ts';
import { parseSettings } from '../../core/src/node/load-config.ts';
import { createPool, type Pool } from '../../core/src/node/db-pool.ts';
import { AlpacaRestClient } from '../../ingester/src/providers/alpaca/alpaca-rest-client.ts';
import { parseDownloadArgs } from '../../scripts/lib/history/download-args.ts';
import { runDownload } from '../../scripts/lib/history/download-command.ts';
import { downloadHistory, type DownloadRequest } from '../../scripts/lib/history/download-history.ts';
import { alpacaSource, createHistorySource } from '../../scripts/lib/history/history-source.ts';
import { FakeAlpacaServer, type FakeAlpacaTrade } from '../fakes/alpaca-server.ts';
import { capturedOutput } from '../support/captured-output.ts';
import { quietLogger } from '../support/quiet-logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

const KEY = 'PKDOWNLOADKEY11223344';
const SECRET = 'download-secret-55667788';
const MINUTE = 60_000;
const ONE_MINUTE = parseTimeframe('1m');
/** Tuesday 5 March 2024, 04:00 New York (EST): extended hours 04:00–20:00, three days of them. */
const FIRST_DAY = Date.UTC(2024, 2, 5);
const trades: FakeAlpacaTrade[] = [];
for (let day = 0; day < 3; day++) {
  const open = FIRST_DAY + day * DAY_MS + 9 * 3_600_000;
  for (let m = 0; m < 16 * 60; m++) {
    const i = trades.length;
    trades.push({
      symbol: 'SPY',
      id: i + 1,
      price: (51_000 + ((i * 13) % 400)) / 100,
      size: 1 + (i % 9),
      time: new Date(open + m * MINUTE).toISOString(),
    });
  }
}

let db: TestDatabase;
let pool: Pool;
let fake: FakeAlpacaServer;
/** `placeholder`: the old time-zone-and-open xnys (sessions open 09:30 New York, trading around the
 * clock); else the shipped xnys exchange calendar (09:30–16:00, weekends, holidays). */
const settings = (placeholder = true) =>
  parseSettings({
    database: { url: db.url },
    ...(placeholder ? { session_calendars: { xnys: { timezone: 'America/New_York', session_open: '09:30' } } } : {}),
    contracts: [{ id: 'SIM.MES', provider: 'simulated', symbol: 'SIM.MES', tick_size: 0.25, session_calendar: 'utc' }],
    ingester: { contracts: ['SIM.MES'] },
    providers: { alpaca: { data_url: fake.dataUrl, key_id: KEY, secret_key: SECRET } },
  });

function run(argv: string[], placeholder = true) {
  const { stdout, stderr, text } = capturedOutput();
  return runDownload(parseDownloadArgs(argv), { settings: settings(placeholder), rootDir: process.cwd(), stdout, stderr }).then((code) => ({
    code,
    out: text.out,
    err: text.err,
  }));
}

async function stored(): Promise<[number, number, number, number, number, number][]> {
  const { rows } = await pool.query<{ t: number; open: number; high: number; low: number; close: number; volume: number }>(
    `SELECT (extract(epoch FROM "timestamp") * 1000)::float8 AS t, open, high, low, close, volume FROM ohlc_bars
      WHERE contract_id = 'SPY' AND timeframe = '1m' AND is_closed ORDER BY 1`,
  );
  return rows.map((r) => [r.t, r.open, r.high, r.low, r.close, r.volume]);
}

const vendor = (from: number, to: number) =>
  fake
    .history('SPY', '1Min')
    .map((b) => [Date.parse(b.t), b.o, b.h, b.l, b.c, b.v])
    .filter(([t]) => (t as number) >= from && (t as number) < to);

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPool(db.url);
  fake = await FakeAlpacaServer.start({ keyId: KEY, secretKey: SECRET });
  fake.record(...trades);
});
afterAll(async () => {
  await fake?.close();
  await pool?.end();
  await db?.drop();
});
beforeEach(async () => {
  await pool.query('TRUNCATE ohlc_bars');
  fake.barRequests.splice(0);
});

describe('download from Alpaca', () => {
  it('downloads by symbol with a line per range and the summary, and a rerun fetches nothing', async () => {
    const first = await run([
      '--provider',
      'alpaca',
      '--contracts',
      'spy',
      '--start-date',
      '2024-03-05',
      '--end-date',
      '2024-03-06',
      '--timeframes',
      '1m',
    ]);
    expect(first.code).toBe(0);
    // Trade dates 5 and 6 March on the 09:30 calendar: 09:30 on the 5th to 09:30 on the 7th.
    const from = Date.UTC(2024, 2, 5, 14, 30);
    const to = Date.UTC(2024, 2, 7, 14, 30);
    expect(first.out).toMatch(/^SPY 1m 2024-03-05 14:30 → 2024-03-07 14:30: fetched 1,920, inserted 1,920, updated 0, unchanged 0$/m);
    // Gaps: the placeholder calendar trades around the clock, so the nights count as missing (the
    // shipped xnys calendar does not: the next test).
    expect(first.out).toMatch(/^SPY 1m +2 +0 +1,920 +1,920 +0 +0 +[\d,]+ +done$/m);
    expect(await stored()).toEqual(vendor(from, to));
    expect(fake.barRequests.every((r) => r.query.feed === 'iex' && r.query.adjustment === 'raw' && r.query.timeframe === '1Min')).toBe(
      true,
    );

    const requests = fake.barRequests.length;
    const again = await run([
      '--provider',
      'alpaca',
      '--contracts',
      'SPY',
      '--start-date',
      '2024-03-05',
      '--end-date',
      '2024-03-06',
      '--timeframes',
      '1m',
    ]);
    expect(again.code).toBe(0);
    expect(fake.barRequests.length).toBe(requests);
    expect(await stored()).toEqual(vendor(from, to));
  });

  it('on the real xnys calendar, a night between two sessions is no gap: 2 trade dates of 1m bars → gaps 0', async () => {
    const argv = [
      '--provider',
      'alpaca',
      '--contracts',
      'SPY',
      '--start-date',
      '2024-03-05',
      '--end-date',
      '2024-03-06',
      '--timeframes',
      '1m',
    ];
    const result = await run(argv, false);
    expect(result.code).toBe(0);
    // Each regular session (09:30–16:00 EST, 14:30–21:00 UTC) is stored whole; the fake's night (20:00–
    // 04:00, no trades) lies outside every session, so nothing is missing. The placeholder calendar
    // above reports that night as missing bars.
    const sessions = [
      [Date.UTC(2024, 2, 5, 14, 30), Date.UTC(2024, 2, 5, 21)],
      [Date.UTC(2024, 2, 6, 14, 30), Date.UTC(2024, 2, 6, 21)],
    ] as const;
    const storedLabels = new Set((await stored()).map(([t]) => t));
    for (const [from, to] of sessions) for (let t = from; t < to; t += MINUTE) expect(storedLabels.has(t)).toBe(true);
    expect(result.out).toMatch(/^SPY 1m +2 +0 +[\d,]+ +[\d,]+ +0 +0 +0 +done$/m);
    expect(result.out).toMatch(/gaps 0 bars/);
    expect(result.out).not.toMatch(/expected bars missing/);
  });

  it('on the real xnys calendar, 1h bars are rebuilt from Alpaca’s minutes from the 09:30 open (its own start on the hour) → gaps 0', async () => {
    const argv = [
      '--provider',
      'alpaca',
      '--contracts',
      'SPY',
      '--start-date',
      '2024-03-05',
      '--end-date',
      '2024-03-05',
      '--timeframes',
      '1h',
    ];
    const result = await run(argv, false);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^SPY 1h +1 +0 +[\d,]+ +[\d,]+ +0 +0 +0 +done$/m);
    expect(fake.barRequests.every((r) => r.query.timeframe === '1Min')).toBe(true);
    const { rows } = await pool.query<{ t: Date; open: number; high: number; low: number; close: number; volume: number }>(
      `SELECT "timestamp" AS t, open, high, low, close, volume FROM ohlc_bars WHERE contract_id = 'SPY' AND timeframe = '1h' AND is_closed ORDER BY 1`,
    );
    const hours = rows.map((r) => [r.t.getTime(), r.open, r.high, r.low, r.close, r.volume]);
    // The session's seven hours (09:30 … 15:30 EST = 14:30 … 20:30 UTC), each the vendor's minutes.
    const open = Date.UTC(2024, 2, 5, 14, 30);
    const session = hours.filter(([t]) => (t as number) >= open && (t as number) < Date.UTC(2024, 2, 5, 21));
    expect(session.map(([t]) => t)).toEqual(Array.from({ length: 7 }, (_, i) => open + i * 3_600_000));
    for (const [t, o, h, l, c, v] of session) {
      const minutes = vendor(t as number, Math.min((t as number) + 3_600_000, Date.UTC(2024, 2, 5, 21)));
      expect([o, h, l, c, v]).toEqual([
        minutes[0]?.[1],
        Math.max(...minutes.map((m) => m[2] as number)),
        Math.min(...minutes.map((m) => m[3] as number)),
        minutes.at(-1)?.[4],
        minutes.reduce((sum, m) => sum + (m[5] as number), 0),
      ]);
    }
  });

  it('refuses what Alpaca has not: a 2d timeframe, a symbol that is not a stock symbol, missing keys', async () => {
    await expect(run(['--provider', 'alpaca', '--contracts', 'SPY', '--start-date', '2024-03-05', '--timeframes', '2d'])).rejects.toThrow(
      /^--timeframes: Alpaca has no 2d bars/,
    );
    await expect(
      run(['--provider', 'alpaca', '--contracts', 'not a symbol', '--start-date', '2024-03-05', '--timeframes', '1m']),
    ).rejects.toThrow(/not a US stock symbol/);
    const keyless = parseSettings({
      ingester: { contracts: ['SIM.MES'] },
      contracts: [{ id: 'SIM.MES', provider: 'simulated', symbol: 'S', tick_size: 1, session_calendar: 'utc' }],
    });
    expect(() => createHistorySource('alpaca', keyless, quietLogger('alpaca'))).toThrow(/ALPACA_KEY_ID and ALPACA_SECRET_KEY/);
  });

  it('after the provider fails mid-way, a rerun completes the table exactly as one clean run', async () => {
    const contract: ContractSettings = {
      id: 'SPY',
      provider: 'alpaca',
      symbol: 'SPY',
      name: 'SPY',
      description: '',
      tick_size: 0.01,
      session_calendar: 'xnys',
    };
    const request: DownloadRequest = {
      contracts: [contract],
      timeframes: [ONE_MINUTE],
      range: { startDate: FIRST_DAY, endDate: FIRST_DAY + 2 * DAY_MS },
      force: false,
      dryRun: false,
    };
    const client = new AlpacaRestClient({
      dataUrl: fake.dataUrl,
      keyId: KEY,
      secretKey: SECRET,
      feed: 'iex',
      adjustment: 'raw',
      logger: quietLogger('alpaca'),
      maxAttempts: 2,
      backoff: { initialMs: 1, maxMs: 5 },
    });
    const deps = { pool, source: alpacaSource(client, settings()), settings: settings(), windowBars: 1_000 };
    let written = 0;
    const failing = await downloadHistory(request, {
      ...deps,
      progress: {
        written: () => {
          // After the first window is stored, the next request fails both of the client's attempts.
          if (++written === 1) fake.forceNext({ status: 500 }, { status: 500 });
        },
      },
    });
    expect(failing.failed).toBe(true);
    expect(failing.series[0]?.error).toMatch(/500/);
    const partial = (await stored()).length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(2_880);

    const resumed = await downloadHistory(request, deps);
    expect(resumed.series[0]).toMatchObject({ outcome: 'done', unchanged: 0 });
    const all = vendor(Date.UTC(2024, 2, 5, 14, 30), Date.UTC(2024, 2, 8, 14, 30));
    expect(await stored()).toEqual(all);
    expect(resumed.series[0]?.inserted).toBe(all.length - partial);
  });
});

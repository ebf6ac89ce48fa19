// `npm run download` as a user meets it: the spawned CLI's --help and flag errors, and the command
// behind it (settings → fake ProjectX → database) with its line-per-range output and summary.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CME_CALENDAR, SessionCalendar } from '../../core/src/index.ts';
import { parseSettings } from '../../core/src/node/load-config.ts';
import { createPool, type Pool } from '../../core/src/node/db-pool.ts';
import { parseDownloadArgs } from '../../scripts/lib/history/download-args.ts';
import { runDownload } from '../../scripts/lib/history/download-command.ts';
import { FakeProjectXServer, type FakeBar } from '../fakes/projectx-server.ts';
import { capturedOutput } from '../support/captured-output.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

const MES = 'CON.F.US.MES.H25';
const cme = new SessionCalendar(CME_CALENDAR);
const TUESDAY = Date.parse('2025-01-07T00:00:00Z');
const open = cme.sessionOpen(TUESDAY);
// One hour of 5-minute bars at the start of Tuesday's session (Monday 17:00 Chicago = 23:00 UTC).
const bars: FakeBar[] = Array.from({ length: 12 }, (_, i) => ({
  time: open + i * 300_000,
  open: 6000,
  high: 6001,
  low: 5999,
  close: 6000.5,
  volume: i,
}));

let db: TestDatabase;
let pool: Pool;
let fake: FakeProjectXServer;

function run(argv: string[], apiKey = 'secret', vacuumAfterRows?: number) {
  const { stdout, stderr, text } = capturedOutput();
  const settings = parseSettings({
    database: { url: db.url },
    contracts: [{ id: 'SIM.MES', provider: 'simulated', symbol: 'SIM.MES', tick_size: 0.25, session_calendar: 'utc' }],
    ingester: { contracts: ['SIM.MES'] },
    providers: { projectx: { api_url: fake.url, username: 'alice', api_key: apiKey } },
  });
  return runDownload(parseDownloadArgs(argv), { settings, rootDir: process.cwd(), stdout, stderr, vacuumAfterRows }).then((code) => ({
    code,
    out: text.out,
    err: text.err,
  }));
}

function cli(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/download-historical.ts', ...args], { encoding: 'utf8', timeout: 20_000 });
}

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPool(db.url);
  fake = await FakeProjectXServer.start({
    username: 'alice',
    apiKey: 'secret',
    bars,
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
});
afterAll(async () => {
  await fake?.close();
  await pool?.end();
  await db?.drop();
});
beforeEach(async () => {
  await pool.query('TRUNCATE ohlc_bars');
});

describe('download CLI', () => {
  it('prints its usage for --help and exits 0', () => {
    const result = cli(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('usage: npm run download -- --contracts');
    expect(result.stdout).toContain('--dry-run');
  });

  it('names the bad flag and exits 2', () => {
    const result = cli(['--contracts', MES, '--start-date', '2025-02-30']);
    expect(result.status).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe("--start-date: '2025-02-30' is not a calendar date");
    expect(() => parseDownloadArgs(['--contracts', MES, '--start-date', '2025-01-07', '--provider', 'kraken'])).toThrow(
      /^--provider: expected 'projectx', 'binance', 'coinbase' or 'alpaca'/,
    );
    expect(() => parseDownloadArgs(['--contracts', MES, '--start-date', '2025-01-07', '--end-date', '2025-01-06'])).toThrow(
      '--end-date: is before --start-date',
    );
    expect(() => parseDownloadArgs(['--start-date', '2025-01-07'])).toThrow(/^--contracts: required/);
  });

  it('refuses a timeframe the provider does not have, naming the flag', async () => {
    await expect(
      run(['--provider', 'binance', '--contracts', 'BTCUSDT', '--start-date', '2025-01-07', '--timeframes', '1m,7m']),
    ).rejects.toThrow(/^--timeframes: Binance has no 7m klines/);
  });

  it('downloads by symbol, printing one line per range and the summary table', async () => {
    const { code, out } = await run([
      '--provider',
      'projectx',
      '--contracts',
      'MES',
      '--start-date',
      '2025-01-07',
      '--end-date',
      '2025-01-07',
      '--timeframes',
      '5m',
    ]);
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines).toContain(`${MES} 5m 2025-01-06 23:00 → 2025-01-07 23:00: fetched 12, inserted 12, updated 0, unchanged 0`);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${MES.replace(/\./g, '\\.')} 5m +1 +0 +12 +12 +0 +0 +264 +done$`)));
    // The session has 276 five-minute bars; the fake has the first 12.
    expect(out).toContain(`${MES} 5m: 264 of 276 expected bars missing in 1 range(s): 2025-01-07 00:00 → 2025-01-07 21:55 (264)`);
    expect((await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM ohlc_bars')).rows[0]?.n).toBe(12);
  });

  it('ends a download that wrote enough bars with VACUUM (ANALYZE) ohlc_bars, printing its time', async () => {
    const vacuums = async (): Promise<number> =>
      (
        await pool.query<{ n: number }>(`SELECT coalesce(sum(vacuum_count), 0)::int AS n FROM pg_stat_user_tables
          WHERE relid = 'ohlc_bars'::regclass OR relid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'ohlc_bars'::regclass)`)
      ).rows[0]!.n;
    const before = await vacuums();
    const argv = [
      '--provider',
      'projectx',
      '--contracts',
      MES,
      '--start-date',
      '2025-01-07',
      '--end-date',
      '2025-01-07',
      '--timeframes',
      '5m',
    ];
    const { code, out } = await run(argv, 'secret', 12);
    expect(code).toBe(0);
    expect(out.trim().split('\n').at(-1)).toMatch(/^VACUUM \(ANALYZE\) ohlc_bars after 12 bars written: \d+\.\d\d s \(/);
    expect(await vacuums()).toBe(before + 1);
    // Run again: the 12 bars are stored, nothing is written, nothing to vacuum.
    const again = await run([...argv, '--force'], 'secret', 12);
    expect(again.out).not.toContain('VACUUM');
    expect(await vacuums()).toBe(before + 1);
  });

  it('--dry-run says what it would fetch and writes nothing', async () => {
    const calls = fake.rest.callsTo('/api/History/retrieveBars').length;
    const { code, out } = await run([
      '--provider',
      'projectx',
      '--contracts',
      MES,
      '--start-date',
      '2025-01-06',
      '--end-date',
      '2025-01-08',
      '--timeframes',
      '5m',
      '--dry-run',
    ]);
    expect(code).toBe(0);
    expect(out).toContain('would fetch ~828 bars in 1 range(s)');
    expect(fake.rest.callsTo('/api/History/retrieveBars')).toHaveLength(calls);
    expect((await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM ohlc_bars')).rows[0]?.n).toBe(0);
  });

  it('says clearly when the credentials are refused', async () => {
    const { code, err } = await run(
      ['--provider', 'projectx', '--contracts', MES, '--start-date', '2025-01-07', '--timeframes', '5m'],
      'wrong',
    );
    expect(code).toBe(1);
    expect(err).toContain('ProjectX login failed for user alice: Invalid credentials.');
    expect(err).toContain('PROJECTX_API_KEY');
  });
});

// `npm run download -- --provider coinbase`: candles from the fake Advanced Trade into ohlc_bars, one line per
// range, resumable (a rerun fetches nothing), through 429s, with the product checked against the venue.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPool, type Pool } from '../../core/src/node/db-pool.ts';
import { parseSettings } from '../../core/src/node/load-config.ts';
import { parseDownloadArgs } from '../../scripts/lib/history/download-args.ts';
import { runDownload } from '../../scripts/lib/history/download-command.ts';
import { candleSeries, FakeCoinbaseServer } from '../fakes/coinbase-server.ts';
import { capturedOutput } from '../support/captured-output.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

const START = Date.parse('2024-03-01T00:00:00Z');
const minutes = candleSeries(START / 1000, 2 * 1_440, 60);
const hours = candleSeries(START / 1000, 48, 3_600);

let db: TestDatabase;
let pool: Pool;
let fake: FakeCoinbaseServer;

function run(argv: string[]) {
  const { stdout, stderr, text } = capturedOutput();
  const settings = parseSettings({
    database: { url: db.url },
    ingester: { provider: 'coinbase', contracts: ['BTC-USD'] },
    providers: { coinbase: { rest_url: fake.restUrl } },
  });
  return runDownload(parseDownloadArgs(argv), { settings, rootDir: process.cwd(), stdout, stderr }).then((code) => ({
    code,
    out: text.out,
    err: text.err,
  }));
}

const ARGS = ['--provider', 'coinbase', '--contracts', 'btc-usd', '--start-date', '2024-03-01', '--end-date', '2024-03-02'];

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPool(db.url);
  fake = await FakeCoinbaseServer.start();
  fake.setProduct('BTC-USD', '0.01');
  fake.setCandles('BTC-USD', 'ONE_MINUTE', minutes);
  fake.setCandles('BTC-USD', 'ONE_HOUR', hours);
});
afterAll(async () => {
  await fake?.close();
  await pool?.end();
  await db?.drop();
});
beforeEach(() => {
  fake.candleRequests.splice(0);
  fake.requests.splice(0);
});

describe('download from Coinbase', () => {
  it('stores the venue’s candles with a line per range, and a rerun fetches nothing', async () => {
    const first = await run([...ARGS, '--timeframes', '1m,1h']);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toContain('BTC-USD 1m 2024-03-01 00:00 → 2024-03-03 00:00: fetched 2,880, inserted 2,880, updated 0, unchanged 0');
    expect(first.out).toContain('BTC-USD 1h 2024-03-01 00:00 → 2024-03-03 00:00: fetched 48, inserted 48, updated 0, unchanged 0');
    expect(first.out).toMatch(/^total: fetched 2,928, inserted 2,928, updated 0, unchanged 0, gaps 0 bars/m);
    const stored = await pool.query<{ t: Date; open: number; volume: number }>(
      `SELECT "timestamp" AS t, open, volume FROM ohlc_bars WHERE contract_id = 'BTC-USD' AND timeframe = '1m' ORDER BY 1`,
    );
    expect(stored.rows.map((r) => [r.t.getTime() / 1000, r.open, r.volume])).toEqual(
      minutes.map((c) => [c.start, Number(c.open), Number(c.volume)]),
    );
    // Every request stayed within the venue's per-request limit.
    const seconds = (r: { query: Readonly<Record<string, string>> }) => (r.query.granularity === 'ONE_HOUR' ? 3_600 : 60);
    expect(fake.candleRequests.every((r) => r.status === 200 && (Number(r.query.end) - Number(r.query.start)) / seconds(r) < 350)).toBe(
      true,
    );
    // One request of 1h, nine pages of 1m (the order of the timeframes is the command's choice).
    expect(fake.candleRequests.map((r) => r.query.granularity).sort()).toEqual([
      'ONE_HOUR',
      'ONE_MINUTE',
      'ONE_MINUTE',
      'ONE_MINUTE',
      'ONE_MINUTE',
      'ONE_MINUTE',
      'ONE_MINUTE',
      'ONE_MINUTE',
      'ONE_MINUTE',
      'ONE_MINUTE',
    ]);

    fake.candleRequests.splice(0);
    const again = await run([...ARGS, '--timeframes', '1m,1h']);
    expect(again.code).toBe(0);
    expect(fake.candleRequests).toEqual([]);
    expect(again.out).toMatch(/^BTC-USD 1m +2 +2 +0 /m);
  });

  it('waits out a 429 and completes', async () => {
    await pool.query('TRUNCATE ohlc_bars');
    fake.forceNext({ status: 429, retryAfterSec: 0 });
    const { code, out } = await run([...ARGS, '--timeframes', '1h']);
    expect(code).toBe(0);
    expect(out).toMatch(/^BTC-USD 1h .*fetched 48, inserted 48/m);
    expect(fake.requests.map((r) => r.status)).toEqual([429, 200, 200]);
  });

  it('names a product the venue does not have, and a timeframe it has no candles of', async () => {
    await expect(
      run(['--provider', 'coinbase', '--contracts', 'NOPE-USD', '--start-date', '2024-03-01', '--timeframes', '1h']),
    ).rejects.toThrow(/--contracts: Coinbase has no product 'NOPE-USD'/);
    await expect(
      run(['--provider', 'coinbase', '--contracts', 'BTCUSD', '--start-date', '2024-03-01', '--timeframes', '1h']),
    ).rejects.toThrow(/--contracts: 'BTCUSD' is not a Coinbase product like BTC-USD/);
    await expect(run([...ARGS, '--timeframes', '1w'])).rejects.toThrow(/^--timeframes: Coinbase has no 1w candles/);
  });
});

// Historical download, how a run is planned and paged: ProjectX pages newest first within windows of
// whole days (at most 20,000 bars a call), Binance pages forward 1,000 klines at a time; --dry-run
// plans without fetching. Against the local fake ProjectX Gateway and fake Binance.
import { beforeEach, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../core/src/index.ts';
import { downloadHistory, type DownloadDeps } from '../../scripts/lib/history/download-history.ts';
import {
  BARS,
  barCalls,
  binance,
  btcKlines,
  btcRequest,
  btcSource,
  btcStart,
  cme,
  FRIDAY,
  MES,
  mesBars,
  mesRequest,
  mesSource,
  MINUTE,
  MONDAY,
  ONE_MINUTE,
  pool,
  projectx,
  settings,
  storedBars,
  useDownloadHistoryFixture,
} from '../support/download-history-fixture.ts';

useDownloadHistoryFixture();

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

  it('--dry-run plans without fetching bars or writing', async () => {
    const summary = await downloadHistory(mesRequest({ dryRun: true }), { pool, source: mesSource(), settings, windowBars: 3_000 });
    // The calendar expects 930 bars of Thursday 2025-01-09 (CME closed early, 08:30 CT), not 1,380.
    expect(summary.series[0]).toMatchObject({ outcome: 'planned', windows: 3, expected: 4 * 1_380 + 930, fetched: 0, inserted: 0 });
    expect(barCalls()).toBe(0);
    expect((await pool.query('SELECT count(*)::int AS n FROM ohlc_bars')).rows[0]).toEqual({ n: 0 });
  });
});

describe('download from Binance (pages oldest first)', () => {
  const start = btcStart;
  const klines = btcKlines;

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
});

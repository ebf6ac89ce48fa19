// Historical download resumes rather than repeats: what is stored is skipped (--force refetches it),
// a day stored before it ended is fetched again, and after a provider failure or an interruption a
// rerun ends with the table of one clean run. Against the local fakes.
import { beforeEach, describe, expect, it } from 'vitest';
import { createPool } from '../../core/src/node/db-pool.ts';
import { downloadHistory, type DownloadDeps, type WindowResult } from '../../scripts/lib/history/download-history.ts';
import { createTestDatabase } from '../support/test-database.ts';
import {
  BARS,
  barCalls,
  binance,
  btcKlines,
  btcRequest,
  btcSource,
  cme,
  FRIDAY,
  MES,
  mesBars,
  mesRequest,
  mesSource,
  MINUTE,
  ONE_MINUTE,
  pool,
  projectx,
  settings,
  snapshot,
  storedBars,
  useDownloadHistoryFixture,
} from '../support/download-history-fixture.ts';

useDownloadHistoryFixture();

describe('download from ProjectX (pages newest first)', () => {
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
});

describe('download from Binance (pages oldest first)', () => {
  const klines = btcKlines;

  beforeEach(() => binance.setKlines('BTCUSDT', '1m', klines));

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

// Alpaca against the real xnys calendar: a full regular session (09:30–16:00 New York, nothing
// outside it) replayed live through the provider is stored as a CLOSED 1d bar equal to the vendor's
// REST daily bar — contents, and the label once Alpaca's stamp (midnight New York) is read as our
// trade date (00:00 UTC) — and as 1m/5m bars equal to the vendor's. 1h bars differ by design: Alpaca's
// start on the clock hour, ours at the session open (docs/PROVIDERS.md, "Alpaca's bars and ours").
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarFor, ingestContracts, parseTimeframe } from '../../core/src/index.ts';
import { parseSettings } from '../../core/src/node/load-config.ts';
import { createPool, type Pool } from '../../core/src/node/db-pool.ts';
import { IngesterService } from '../../ingester/src/ingester-service.ts';
import { createProvider } from '../../ingester/src/providers/create-provider.ts';
import { FakeAlpacaServer, type FakeAlpacaTrade } from '../fakes/alpaca-server.ts';
import type { TapeBar } from '../fakes/alpaca-tape.ts';
import { eventually } from '../support/eventually.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

const KEY = 'PKSESSIONKEY24680';
const SECRET = 'session-sEcReT-13579';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Tuesday 2024-07-09, a full trading day (EDT): 09:30 New York is 13:30 UTC, 16:00 is 20:00 UTC. */
const OPEN = Date.UTC(2024, 6, 9, 13, 30);
const CLOSE = Date.UTC(2024, 6, 9, 20, 0);
const MINUTES = (CLOSE - OPEN) / MINUTE;
const TRADES_PER_MINUTE = 4;
/** Each minute's trades end 100 ms before it does: the session's last trade is at 15:59:59.900, so
 * its bars close (on the stream's quiet clock) a grace period after 16:00, not minutes later. */
const TRADE_SPACING_MS = MINUTE / TRADES_PER_MINUTE;
const LAST_TRADE_OFFSET_MS = MINUTE - 100;

let db: TestDatabase;
let pool: Pool;
let fake: FakeAlpacaServer;
beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPool(db.url);
  fake = await FakeAlpacaServer.start({ keyId: KEY, secretKey: SECRET });
});
afterAll(async () => {
  await fake?.close();
  await pool?.end();
  await db?.drop();
});

function minuteTrades(m: number): FakeAlpacaTrade[] {
  return Array.from({ length: TRADES_PER_MINUTE }, (_, k) => {
    const i = m * TRADES_PER_MINUTE + k;
    return {
      symbol: 'SPY',
      id: i + 1,
      // A walk in cents with a drift, so each hour's and the day's high and low are different trades.
      price: (55_000 + ((i * 53) % 170) + Math.floor(i / 40) * 2) / 100,
      size: 1 + (i % 9) * 25,
      time: new Date(OPEN + m * MINUTE + LAST_TRADE_OFFSET_MS - (TRADES_PER_MINUTE - 1 - k) * TRADE_SPACING_MS).toISOString(),
    };
  });
}

type Row = [number, number, number, number, number, number];
const vendorRows = (bars: readonly TapeBar[]): Row[] => bars.map((b) => [Date.parse(b.t), b.o, b.h, b.l, b.c, b.v]);

async function storedRows(timeframe: string, closedOnly = true): Promise<Row[]> {
  const { rows } = await pool.query<{ t: Date; open: number; high: number; low: number; close: number; volume: number }>(
    `SELECT "timestamp" AS t, open, high, low, close, volume FROM ohlc_bars
      WHERE contract_id = 'SPY' AND timeframe = $1 AND (is_closed OR NOT $2) ORDER BY 1`,
    [timeframe, closedOnly],
  );
  return rows.map((r) => [r.t.getTime(), r.open, r.high, r.low, r.close, r.volume]);
}

/** Bars of `minutes` regrouped into buckets of `length` anchored at `anchor` (our xnys 1h rule). */
function regroup(minutes: readonly Row[], anchor: number, length: number): Row[] {
  const out: Row[] = [];
  for (const [t, o, h, l, c, v] of minutes) {
    const start = anchor + Math.floor((t - anchor) / length) * length;
    const last = out.at(-1);
    if (last && last[0] === start) out[out.length - 1] = [start, last[1], Math.max(last[2], h), Math.min(last[3], l), c, last[5] + v];
    else out.push([start, o, h, l, c, v]);
  }
  return out;
}

describe('Alpaca and the xnys calendar agree on a regular session', () => {
  it('stores a closed 1d bar equal to the vendor’s daily bar (label and OHLCV), 1m/5m equal, 1h anchored at 09:30', async () => {
    const logger = pino({ level: 'silent' });
    const settings = parseSettings(
      {
        ingester: {
          provider: 'alpaca',
          contracts: ['SPY'],
          timeframes: ['1m', '5m', '1h', '1d'],
          flush_interval_ms: 50,
          close_grace_ms: 500,
          // The replay is in 2024: far from this machine's clock.
          max_clock_skew_ms: 3 * 366 * 86_400_000,
          backfill_lookback_hours: 1,
        },
      },
      { ALPACA_DATA_URL: fake.dataUrl, ALPACA_STREAM_URL: fake.streamUrl, ALPACA_KEY_ID: KEY, ALPACA_SECRET_KEY: SECRET },
    );
    const contracts = ingestContracts(settings);
    // No session_calendars entry: SPY gets the shipped xnys exchange calendar.
    expect(contracts).toEqual([expect.objectContaining({ id: 'SPY', provider: 'alpaca', session_calendar: 'xnys' })]);
    const calendar = calendarFor(settings, contracts[0] as (typeof contracts)[number]);
    expect([calendar.hasExchangeHours, calendar.timezone]).toEqual([true, 'America/New_York']);
    const provider = createProvider(settings, contracts, logger, process.cwd());
    const service = new IngesterService({ settings, databaseUrl: db.url, contracts, logger, metricsPort: 0, provider });
    // The vendor publishes nothing while the session trades: every stored bar comes from the live stream.
    fake.publishedUntil = OPEN;
    await service.start();
    try {
      await eventually(() => fake.subscribers('SPY').length === 1);
      for (let m = 0; m < MINUTES; m++) {
        fake.trade(...minuteTrades(m));
        if (m % 30 === 29) await eventually(async () => (await tickCount()) === (m + 1) * TRADES_PER_MINUTE);
      }
      const total = MINUTES * TRADES_PER_MINUTE;
      // Nothing trades after 16:00: the stream's quiet clock closes the day a grace period after the close.
      const closedCounts = async () => Promise.all(['1m', '5m', '1h', '1d'].map(async (tf) => (await storedRows(tf)).length));
      await eventually(async () => JSON.stringify(await closedCounts()) === JSON.stringify([MINUTES, MINUTES / 5, 7, 1]), 60_000);
      expect(await tickCount()).toBe(total);

      fake.publishedUntil = Infinity;
      const response = await fetch(
        `${fake.dataUrl}/v2/stocks/SPY/bars?timeframe=1Day&start=2024-07-08T00:00:00Z&end=2024-07-10T00:00:00Z`,
        {
          headers: { 'APCA-API-KEY-ID': KEY, 'APCA-API-SECRET-KEY': SECRET },
        },
      );
      const { bars } = (await response.json()) as { bars: TapeBar[] };
      expect(bars).toHaveLength(1);
      const vendorDay = bars[0] as TapeBar;
      // Alpaca stamps a daily bar with midnight New York (04:00 UTC in summer); we label a stock's 1d
      // bar with its trade date at 00:00 UTC, and it covers 09:30–16:00.
      expect(vendorDay.t).toBe('2024-07-09T04:00:00Z');
      const [ourDay] = await storedRows('1d');
      expect(ourDay).toEqual([Date.UTC(2024, 6, 9), vendorDay.o, vendorDay.h, vendorDay.l, vendorDay.c, vendorDay.v]);
      // The provider reads the vendor's stamp as the same label, so a backfill writes the same bar.
      const fetched = await provider.fetchBars?.('SPY', parseTimeframe('1d'), Date.UTC(2024, 6, 9), Date.UTC(2024, 6, 10));
      expect(fetched?.map((b) => [b.time, b.open, b.high, b.low, b.close, b.volume])).toEqual([ourDay]);

      // Under an hour both bucket on the clock: equal bar for bar.
      const vendorMinutes = vendorRows(fake.history('SPY', '1Min'));
      expect(vendorMinutes).toHaveLength(MINUTES);
      expect(await storedRows('1m')).toEqual(vendorMinutes);
      expect(await storedRows('5m')).toEqual(vendorRows(fake.history('SPY', '5Min')));

      // 1h: Alpaca's start on the clock hour (its 09:00 bar holds 09:30–10:00), ours at the session
      // open (09:30, 10:30 … 15:30, the last one half an hour). Same trades, different buckets.
      const vendorHours = vendorRows(fake.history('SPY', '1Hour'));
      expect(vendorHours.map(([t]) => new Date(t).toISOString().slice(11, 16))).toEqual([
        '13:00',
        '14:00',
        '15:00',
        '16:00',
        '17:00',
        '18:00',
        '19:00',
      ]);
      const ourHours = await storedRows('1h', false);
      expect(ourHours.map(([t]) => new Date(t).toISOString().slice(11, 16))).toEqual([
        '13:30',
        '14:30',
        '15:30',
        '16:30',
        '17:30',
        '18:30',
        '19:30',
      ]);
      expect(ourHours).toEqual(regroup(vendorMinutes, OPEN, HOUR));
      expect(await storedRows('1h')).toEqual(ourHours);
    } finally {
      await service.stop();
    }
  }, 120_000);
});

async function tickCount(): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ticks WHERE contract_id = 'SPY'`);
  return Number(rows[0]?.n);
}

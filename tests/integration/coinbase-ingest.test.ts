// Coinbase end to end through the ingester: a day of trades played live through the fake venue, with two
// forced drops (trades lost during each, repeats after) and 1,000 bad messages, stores 1m/5m/1h/1d bars
// equal to the venue's history, with no gap, no duplicate, and every bad message counted, none stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestContracts } from '../../core/src/index.ts';
import { createPool, type Pool } from '../../core/src/node/db-pool.ts';
import { parseSettings } from '../../core/src/node/load-config.ts';
import { IngesterService } from '../../ingester/src/ingester-service.ts';
import { createProvider } from '../../ingester/src/providers/create-provider.ts';
import { FakeCoinbaseServer, type FakeCandle } from '../fakes/coinbase-server.ts';
import { candlesOf, coinbaseTape, TAPE_PRODUCT } from '../support/coinbase-tape.ts';
import { eventually } from '../support/eventually.ts';
import { quietLogger } from '../support/quiet-logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Trades the venue sent while each drop lasted: only history brings them. */
const LOST_PER_DROP = 40;

let db: TestDatabase;
let pool: Pool;
let fake: FakeCoinbaseServer;
beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPool(db.url);
  fake = await FakeCoinbaseServer.start({ heartbeatIntervalMs: 1_000 });
});
afterAll(async () => {
  await fake?.close();
  await pool?.end();
  await db?.drop();
});

type Row = [number, number, number, number, number, number];
const asRows = (candles: readonly FakeCandle[]): Row[] =>
  candles.map((c) => [c.start * 1000, Number(c.open), Number(c.high), Number(c.low), Number(c.close), Number(c.volume)]);

async function storedBars(timeframe: string, from: number, to: number): Promise<Row[]> {
  const { rows } = await pool.query<{ t: Date; open: number; high: number; low: number; close: number; volume: number }>(
    `SELECT "timestamp" AS t, open, high, low, close, volume FROM ohlc_bars
      WHERE contract_id = $1 AND timeframe = $2 AND is_closed AND "timestamp" >= $3 AND "timestamp" < $4 ORDER BY 1`,
    [TAPE_PRODUCT, timeframe, new Date(from), new Date(to)],
  );
  return rows.map((r) => [r.t.getTime(), r.open, r.high, r.low, r.close, r.volume]);
}

async function tickCount(): Promise<number> {
  return Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM ticks')).rows[0]?.n);
}

describe('Coinbase through the ingester', () => {
  it('rebuilds the venue’s bars from a live replay with two drops and 1,000 bad messages', async () => {
    // A whole UTC day in the past (so the venue's candles are final), from 10 minutes before it to 80 after.
    const day = Math.floor(Date.now() / DAY) * DAY - 3 * DAY;
    const tapeStart = day - 10 * MINUTE;
    const tape = coinbaseTape(tapeStart, (DAY + 90 * MINUTE) / 30_000, 30_000);
    fake.setProduct(TAPE_PRODUCT, '0.01');
    for (const [granularity, seconds] of [
      ['ONE_MINUTE', 60],
      ['FIVE_MINUTE', 300],
      ['ONE_HOUR', 3600],
      ['ONE_DAY', 86_400],
    ] as const)
      fake.setCandles(TAPE_PRODUCT, granularity, candlesOf(tape, seconds));
    const settings = parseSettings({
      ingester: {
        provider: 'coinbase',
        contracts: [TAPE_PRODUCT],
        timeframes: ['1m', '5m', '1h', '1d'],
        flush_interval_ms: 50,
        backfill_lookback_hours: 2,
        // Generous: waiting on the database between sends must never close a bucket before its trades.
        close_grace_ms: 60_000,
      },
      providers: { coinbase: { rest_url: fake.restUrl, ws_url: fake.wsUrl } },
    });
    const contracts = ingestContracts(settings);
    const service = new IngesterService({
      settings,
      databaseUrl: db.url,
      contracts,
      logger: quietLogger('ingester'),
      metricsPort: 0,
      provider: createProvider(settings, contracts, quietLogger('coinbase'), process.cwd()),
    });
    await service.start();
    try {
      let expectedTicks = 0;
      const minuteBars = asRows(candlesOf(tape, 60));
      /** Waits until the 1m bars before `until` are the venue's. */
      const settledBefore = async (until: number) => {
        const prefix = minuteBars.filter(([t]) => t < until);
        await eventually(async () => JSON.stringify(await storedBars('1m', tapeStart, until)) === JSON.stringify(prefix), 60_000).catch(
          () => undefined,
        );
        expect(await storedBars('1m', tapeStart, until)).toEqual(prefix);
      };
      /** Sends tape[from, to), one trade per message (the venue batches 250 ms; the tape's trades are 30 s
       * apart). A live feed cannot run ahead of the backfill its reconnect started (the stream moves at wall
       * speed; this one runs a day in seconds), so after the first two trades (the second confirms the jump
       * over the lost ones to the ingester's jump guard) the rest waits until the bars before them are
       * rebuilt; at the end, until the trades are stored and the bars up to two minutes before the last
       * trade (the close grace) are the venue's. */
      const play = async (from: number, to: number) => {
        for (const t of tape.slice(from, from + 2)) fake.sendTrades([t]);
        await settledBefore(Math.floor((tape[from]?.time ?? 0) / MINUTE) * MINUTE);
        for (const t of tape.slice(from + 2, to)) fake.sendTrades([t]);
        expectedTicks += to - from;
        await eventually(async () => (await tickCount()) === expectedTicks);
        await settledBefore(Math.floor((tape[to - 1]?.time ?? 0) / MINUTE) * MINUTE - 2 * MINUTE);
      };
      await eventually(() => fake.open.length === 1);
      const third = Math.floor(tape.length / 3);
      await play(0, third);

      const c = fake.open[0];
      if (!c) throw new Error('no feed connection');
      const good = { trade_id: '1', product_id: TAPE_PRODUCT, price: '1', size: '1', side: 'BUY', time: new Date(day).toISOString() };
      for (let i = 0; i < 1_000; i++) {
        if (i % 2 === 0) fake.sendRaw(`{"channel":"market_trades","sequence_num":${i}`);
        else fake.sendEnvelope(c, 'market_trades', [{ type: 'update', trades: [{ ...good, price: `-${i}` }] }]);
      }

      let resumeAt = third;
      for (const end of [2 * third, tape.length]) {
        fake.terminateAll();
        await eventually(() => fake.open.length === 1);
        // The new connection repeats the last trades before the drop (dropped as duplicates), then goes on
        // after the trades the drop lost.
        fake.sendTrades(tape.slice(resumeAt - 3, resumeAt));
        resumeAt += LOST_PER_DROP;
        await play(resumeAt, end);
        resumeAt = end;
      }

      const window: Record<string, [number, number, number]> = {
        '1m': [60, tapeStart, tapeStart + DAY + 80 * MINUTE],
        '5m': [300, tapeStart, tapeStart + DAY + 80 * MINUTE],
        '1h': [3600, day, day + DAY + HOUR],
        '1d': [86_400, day, day + DAY],
      };
      const expected = (tf: string): Row[] => {
        const [seconds, from, to] = window[tf] ?? [0, 0, 0];
        return asRows(candlesOf(tape, seconds)).filter(([t]) => t >= from && t < to);
      };
      // Backfill and the connect-minute repairs run beside the stream: wait for their result, then compare.
      await eventually(async () => {
        for (const tf of Object.keys(window)) {
          const [, from, to] = window[tf] ?? [0, 0, 0];
          if (JSON.stringify(await storedBars(tf, from, to)) !== JSON.stringify(expected(tf))) return false;
        }
        return true;
      }, 60_000).catch(() => undefined);
      for (const tf of Object.keys(window)) {
        const [, from, to] = window[tf] ?? [0, 0, 0];
        expect({ tf, bars: await storedBars(tf, from, to) }).toEqual({ tf, bars: expected(tf) });
      }
      expect(expected('1m')).toHaveLength(24 * 60 + 80);
      expect(expected('1d')).toHaveLength(1);

      const dupes = await pool.query(`SELECT trade_id FROM ticks GROUP BY contract_id, trade_id HAVING count(*) > 1`);
      expect(dupes.rowCount).toBe(0);
      expect(await tickCount()).toBe(tape.length - 2 * LOST_PER_DROP);
      const bad = await pool.query(`SELECT count(*) AS n FROM ticks WHERE price <= 1`);
      expect(bad.rows).toEqual([{ n: '0' }]);
      const metrics = await (await fetch(`http://127.0.0.1:${service.metricsPort}/metrics`)).text();
      expect(metrics).toMatch(/^ingester_ticks_rejected_total\{reason="coinbase:",service="ingester"\} 1000$/m);
      expect(metrics).toMatch(/^ingester_provider_reconnects_total\{service="ingester"\} 2$/m);
    } finally {
      await service.stop();
    }
  }, 180_000);
});

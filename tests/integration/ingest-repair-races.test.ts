// Reconnects racing the history sync, made deterministic: the connect-minute repair is held open (its
// vendor fetch waits for the test) while the feed drops and comes back, so the order of events is the
// test's, never a timing margin.
// - A drop while a connect-minute repair is pending: the repair met a bucket forming again after the
//   reconnect (it held only the trades since) and added the connect minute to it, and the reconnect's
//   backfill added that minute again (the forming 1d bar of alpaca-ingest.test.ts: 121,500 vs 120,870).
// - A long outage whose reconnect's first trades span more than the close grace before its backfill
//   runs: the reconnect's minute closed and was stored first, the backfill resumed after it, and only
//   the 15 minutes it re-checks were fetched: the rest of the outage stayed missing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarFor, type ContractSettings, ingestContracts, type OhlcBar, type Trade } from '../../core/src/index.ts';
import { parseSettings } from '../../core/src/node/load-config.ts';
import { createMetricsRegistry, createPool, type Pool } from '../../core/src/node.ts';
import { syncContracts } from '../../ingester/src/contract-sync.ts';
import { createIngestMetrics } from '../../ingester/src/ingest-metrics.ts';
import { MarketClock } from '../../ingester/src/market-clock.ts';
import { SimulatedMarket } from '../../ingester/src/providers/simulated-market.ts';
import { eventually } from '../support/eventually.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { contractAggregator, contractHistory, contractPipeline, passedMinutes, simulatedVendor } from '../support/vendor-ingest.ts';

const MINUTE = 60_000;
const GRACE_MS = 1_000;
/** HistorySync's wait after the connect minute's close for the vendor to finalise its bar. */
const REPAIR_DELAY_MS = 1_000;
/** Past a connect minute's repair due time (stream time). */
const repairDue = (minute: number): number => minute + MINUTE + GRACE_MS + REPAIR_DELAY_MS + 2_000;

const settings = parseSettings({
  contracts: ['SIM.A', 'SIM.B'].map((id) => ({
    id,
    provider: 'simulated',
    symbol: id,
    tick_size: 0.25,
    session_calendar: 'utc',
    start_price: 4000,
  })),
  ingester: { contracts: ['SIM.A', 'SIM.B'], timeframes: ['1m'], close_grace_ms: GRACE_MS, max_clock_skew_ms: 4 * 366 * 86_400_000 },
});
const [contractA, contractB] = ingestContracts(settings) as [ContractSettings, ContractSettings];
// Two trades a second.
const market = new SimulatedMarket(11, 120);

let db: TestDatabase;
let pool: Pool;
beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPool(db.url);
  await syncContracts(pool, [contractA, contractB]);
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

/** The pipeline and history sync as IngesterService wires them, with a vendor whose fetch of one minute
 * (the connect minute's repair) waits until the test releases it. */
function harness(contract: ContractSettings, timeframes: readonly string[], heldMinute: number, lookbackMs = 20 * MINUTE) {
  const calendar = calendarFor(settings, contract);
  const aggregator = contractAggregator(timeframes, calendar, GRACE_MS);
  const clock = new MarketClock({ rate: 0 });
  const metrics = createIngestMetrics(createMetricsRegistry('t'));
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held = false;
  const provider = simulatedVendor(market, contract, passedMinutes(clock), async (from, to) => {
    if (from === heldMinute && to === heldMinute + MINUTE) {
      held = true;
      await released;
    }
  });
  const history = contractHistory({
    pool,
    provider,
    aggregator,
    contract,
    calendar,
    lookbackMs,
    graceMs: GRACE_MS,
    now: () => clock.now(),
    metrics,
  });
  const pipeline = contractPipeline({ pool, aggregator, clock, metrics, history, contract, maxClockSkewMs: 4 * 366 * 86_400_000 });
  return {
    pipeline,
    held: () => held,
    release,
    repairs: async () => (await metrics.connectRepairs.get()).values[0]?.value ?? 0,
    /** Live trades of (from, to], as the feed delivers them. */
    stream: (from: number, to: number): Trade[] => {
      const trades = market.tradesBetween(contract, from, to);
      pipeline.onTrades(trades);
      return trades;
    },
  };
}

type Row = [number, number, number, number, number, number, boolean];
async function storedRows(contractId: string, timeframe: string, from: number, to: number): Promise<Row[]> {
  const { rows } = await pool.query<{ t: Date; open: number; high: number; low: number; close: number; volume: number; closed: boolean }>(
    `SELECT "timestamp" AS t, open, high, low, close, volume, is_closed AS closed FROM ohlc_bars
      WHERE contract_id = $1 AND timeframe = $2 AND "timestamp" >= $3 AND "timestamp" < $4 ORDER BY 1`,
    [contractId, timeframe, new Date(from), new Date(to)],
  );
  return rows.map((r) => [r.t.getTime(), r.open, r.high, r.low, r.close, r.volume, r.closed]);
}

function rollup(time: number, bars: readonly OhlcBar[], closed: boolean): Row {
  return [
    time,
    (bars[0] as OhlcBar).open,
    Math.max(...bars.map((b) => b.high)),
    Math.min(...bars.map((b) => b.low)),
    (bars[bars.length - 1] as OhlcBar).close,
    bars.reduce((s, b) => s + b.volume, 0),
    closed,
  ];
}

describe('a second drop while the first connect-minute repair is pending', () => {
  it('counts the connect minute once in the forming daily bar', async () => {
    const day = Date.UTC(2024, 2, 5);
    const connectMinute = day + 30 * MINUTE;
    const reconnect = connectMinute + 5 * MINUTE + 10_000;
    const h = harness(contractA, ['1m', '1d'], connectMinute);
    h.pipeline.start();
    try {
      // 1. Connected 20 s into a minute; the stream runs past the repair's due time, the repair starts
      //    and waits for the vendor.
      h.pipeline.onConnectionChange(true);
      h.stream(connectMinute + 20_000, repairDue(connectMinute));
      await eventually(h.held);
      // 2. The feed drops and comes back before the repair goes on: the daily bucket forms again from
      //    the reconnect's trades.
      h.pipeline.onConnectionChange(false);
      h.pipeline.onConnectionChange(true);
      h.stream(reconnect, reconnect + 30_000);
      h.release();
      // 3. The stream runs past the second connect's repair too.
      const last = h.stream(reconnect + 30_000, repairDue(Math.floor(reconnect / MINUTE) * MINUTE)).at(-1) as Trade;
      await eventually(async () => (await h.repairs()) === 2);

      // The day so far is every trade of the day up to the last one.
      const dayTrades = market.tradesBetween(contractA, day, last.time);
      const expected: Row = [
        day,
        (dayTrades[0] as Trade).price,
        Math.max(...dayTrades.map((t) => t.price)),
        Math.min(...dayTrades.map((t) => t.price)),
        last.price,
        dayTrades.reduce((s, t) => s + t.volume, 0),
        false,
      ];
      let daily: Row[] = [];
      await eventually(async () => {
        daily = await storedRows(contractA.id, '1d', day, day + 1);
        return JSON.stringify(daily) === JSON.stringify([expected]);
      }).catch(() => undefined);
      expect(daily).toEqual([expected]);
    } finally {
      await h.pipeline.stop();
    }
  });
});

describe('a reconnect after a long outage whose trades close a bar before its backfill runs', () => {
  it('backfills the whole outage, not only the 15 minutes re-checked', async () => {
    const day = Date.UTC(2024, 2, 6);
    const connectMinute = day + 30 * MINUTE;
    // 40 minutes without a feed.
    const reconnect = connectMinute + 43 * MINUTE + 10_000;
    const reconnectMinute = Math.floor(reconnect / MINUTE) * MINUTE;
    // The lookback (ingester.backfill_lookback_hours) covers the outage.
    const h = harness(contractB, ['1m', '5m'], connectMinute, 2 * 60 * MINUTE);
    h.pipeline.start();
    try {
      // 1. Connected; the first connect's repair starts and waits for the vendor (holding up the sync).
      h.pipeline.onConnectionChange(true);
      h.stream(connectMinute + 20_000, repairDue(connectMinute));
      await eventually(h.held);
      // 2. Dropped; back 40 minutes later, its trades spanning more than the close grace: the
      //    reconnect's minute closes and is stored while its backfill still waits behind the repair.
      h.pipeline.onConnectionChange(false);
      h.pipeline.onConnectionChange(true);
      h.stream(reconnect, reconnectMinute + MINUTE + GRACE_MS + 500);
      await eventually(async () => (await storedRows(contractB.id, '1m', reconnectMinute, reconnectMinute + 1))[0]?.[6] === true);
      h.release();
      // 3. The stream runs past the reconnect minute's repair.
      h.stream(reconnectMinute + MINUTE + GRACE_MS + 500, repairDue(reconnectMinute));
      await eventually(async () => (await h.repairs()) === 2);

      const vendor = market.minuteBars(contractB, connectMinute, reconnectMinute + MINUTE);
      const expected1m = vendor.map((b) => rollup(b.time, [b], true));
      const expected5m: Row[] = [];
      for (let t = connectMinute; t < reconnectMinute - 5 * MINUTE; t += 5 * MINUTE)
        expected5m.push(
          rollup(
            t,
            vendor.filter((b) => b.time >= t && b.time < t + 5 * MINUTE),
            true,
          ),
        );
      let actual: Row[][] = [];
      await eventually(async () => {
        actual = [
          await storedRows(contractB.id, '1m', connectMinute, reconnectMinute + MINUTE),
          await storedRows(contractB.id, '5m', connectMinute, reconnectMinute - 5 * MINUTE),
        ];
        return JSON.stringify(actual) === JSON.stringify([expected1m, expected5m]);
      }).catch(() => undefined);
      expect(actual[0]?.length).toBe(44);
      expect(actual).toEqual([expected1m, expected5m]);
    } finally {
      await h.pipeline.stop();
    }
  });
});

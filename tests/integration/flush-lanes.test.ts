// The flusher's two lanes: tick flushes commit (and NOTIFY) while a bar flush is stuck, and a bar flush
// commits only after the ticks that arrived before it, whichever lane is slow or failing: a bar is never
// stored (nor announced) ahead of the ticks it was built from, nothing is lost or stored twice.
import pg from 'pg';
import { beforeEach, describe, expect, it } from 'vitest';
import { BarAggregator, channels, parseTimeframe, SessionCalendar, type Trade, UTC_CALENDAR } from '../../core/src/index.ts';
import { createMetricsRegistry, type Pool, RateLimitedLog } from '../../core/src/node.ts';
import { IngestFlusher } from '../../ingester/src/ingest-flusher.ts';
import { createIngestMetrics, type IngestMetrics } from '../../ingester/src/ingest-metrics.ts';
import { MarketClock } from '../../ingester/src/market-clock.ts';
import { eventually } from '../support/eventually.ts';
import { quietLogger } from '../support/quiet-logger.ts';
import type { TestDatabase } from '../support/test-database.ts';
import { syncSimulatedContracts } from '../support/simulated-contracts.ts';
import { useTestDatabase } from '../support/use-test-database.ts';

const IDS = ['LANE0', 'LANE1', 'LANE2'];
const TIMEFRAMES = ['1m', '5m'];
const BARS = IDS.length * TIMEFRAMES.length;
const T0 = Date.parse('2026-03-02T14:30:00Z');

let db: TestDatabase;
let pool: Pool;
useTestDatabase(
  async (ground) => {
    ({ db, pool } = ground);
    await syncSimulatedContracts(pool, IDS);
  },
  { max: 6 },
);
beforeEach(async () => {
  await pool.query('TRUNCATE ohlc_bars, ticks');
});

function setUp(halted: boolean): { flusher: IngestFlusher; metrics: IngestMetrics; trade: (n: number) => void } {
  const calendar = new SessionCalendar(UTC_CALENDAR);
  const aggregator = new BarAggregator({
    timeframes: TIMEFRAMES.map((t) => parseTimeframe(t)),
    calendarFor: () => calendar,
    graceMs: 3_600_000,
  });
  const clock = new MarketClock({ rate: 0 });
  const logger = quietLogger('t');
  const metrics = createIngestMetrics(createMetricsRegistry('t'));
  const flusher = new IngestFlusher({
    pool,
    aggregator,
    clock,
    logger,
    metrics,
    rateLimited: new RateLimitedLog(logger),
    beforeFlush: () => undefined,
  });
  if (halted) flusher.halt();
  let next = 0;
  /** `n` trades across the contracts, trade ids 0, 1, 2… */
  const trade = (n: number): void => {
    for (let k = 0; k < n; k++, next++) {
      const t: Trade = {
        contractId: IDS[next % IDS.length] as string,
        time: T0 + next,
        price: 5000,
        volume: 1,
        side: 'buy',
        tradeId: String(next),
      };
      clock.observe(t.time);
      expect(aggregator.addTrade(t, clock.now())).toBe('accepted');
      flusher.addTick(t);
    }
    flusher.afterTicks(true);
  };
  return { flusher, metrics, trade };
}

/** Tick and bar NOTIFYs on one connection: their order is the order of the commits that sent them. */
async function listenBoth(): Promise<{ events: string[]; end: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const events: string[] = [];
  client.on('notification', (n) => events.push(n.channel === channels.tickData.name ? 'tick' : 'bar'));
  await client.query(`LISTEN ${channels.tickData.name}; LISTEN ${channels.ohlcUpdate.name}`);
  return { events, end: () => client.end() };
}

const count = async (table: 'ohlc_bars' | 'ticks'): Promise<number> =>
  (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n ?? -1;
const storedVolume = async (): Promise<number> =>
  (await pool.query<{ v: number }>(`SELECT coalesce(sum(volume), 0)::int AS v FROM ohlc_bars WHERE timeframe_value = 1`)).rows[0]?.v ?? -1;

describe('IngestFlusher lanes', () => {
  it('stores and announces ticks while a bar flush waits on a lock, then the bars', async () => {
    const { flusher, trade } = setUp(false);
    const blocker = await pool.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE ohlc_bars IN EXCLUSIVE MODE');
    const listener = await listenBoth();
    try {
      trade(30);
      await eventually(async () => (await count('ticks')) === 30);
      flusher.flushFormingSoon();
      await eventually(
        async () =>
          (await pool.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO ohlc_bars%'`))
            .rowCount === 1,
      );
      // The bar flush is stuck: ticks arriving now are stored and announced all the same.
      trade(30);
      await eventually(async () => (await count('ticks')) === 60);
      await eventually(() => listener.events.length === 2);
      expect(listener.events).toEqual(['tick', 'tick']);
      expect(await count('ohlc_bars')).toBe(0);
      await blocker.query('ROLLBACK');
      flusher.halt();
      await flusher.flushAll();
      expect(await storedVolume()).toBe(60);
      await eventually(() => listener.events.filter((e) => e === 'bar').length >= BARS);
    } finally {
      blocker.release();
      await listener.end();
    }
  });

  it('commits a bar flush only after the ticks that arrived before it', async () => {
    const { flusher, trade } = setUp(true);
    // The COMMIT of the ticks holding trade 0 waits on an advisory lock (a deferred trigger on its row).
    await pool.query(`CREATE FUNCTION lane_wait() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_advisory_xact_lock(4343); RETURN NULL; END $$;
      CREATE CONSTRAINT TRIGGER lane_wait AFTER INSERT ON ticks DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW WHEN (NEW.trade_id = '0') EXECUTE FUNCTION lane_wait()`);
    const blocker = await pool.connect();
    await blocker.query('SELECT pg_advisory_lock(4343)');
    const listener = await listenBoth();
    try {
      trade(30);
      const flushed = flusher.flush(true);
      await eventually(async () => (await pool.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event = 'advisory'`)).rowCount === 1);
      await eventually(() => flusher.barsAwaitingTicks === BARS);
      expect(await count('ohlc_bars')).toBe(0);
      await blocker.query('SELECT pg_advisory_unlock(4343)');
      await flushed;
      expect(flusher.barsAwaitingTicks).toBe(0);
      expect(await count('ticks')).toBe(30);
      expect(await storedVolume()).toBe(30);
      await eventually(() => listener.events.length === 1 + BARS);
      expect(listener.events).toEqual(['tick', ...Array<string>(BARS).fill('bar')]);
    } finally {
      blocker.release();
      await listener.end();
      await pool.query('DROP TRIGGER lane_wait ON ticks; DROP FUNCTION lane_wait()');
    }
  });

  it('keeps the bars back while their ticks fail, counted once, and stores both in order once the ticks go in', async () => {
    const { flusher, metrics, trade } = setUp(true);
    await pool.query(`CREATE TABLE tick_writes_fail (on_purpose boolean);
      CREATE FUNCTION tick_writes_fail() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM tick_writes_fail) THEN RAISE EXCEPTION 'tick writes fail on purpose'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER tick_writes_fail BEFORE INSERT ON ticks FOR EACH ROW EXECUTE FUNCTION tick_writes_fail();
      INSERT INTO tick_writes_fail VALUES (true)`);
    const listener = await listenBoth();
    try {
      trade(30);
      await flusher.flush(true);
      expect(flusher.databaseOk).toBe(false);
      expect(flusher.bufferedTicks).toBe(30);
      expect(flusher.pendingBarCount).toBe(BARS);
      expect(await count('ohlc_bars')).toBe(0);
      // The tick flush failed; the bar flush that waited on it did not start, and is not counted again.
      expect((await metrics.flushFailures.get()).values[0]?.value).toBe(1);
      trade(30);
      await pool.query('DELETE FROM tick_writes_fail');
      await flusher.flushAll();
      expect(flusher.databaseOk).toBe(true);
      expect(await count('ticks')).toBe(60);
      expect((await pool.query<{ n: number }>(`SELECT count(DISTINCT trade_id)::int AS n FROM ticks`)).rows[0]?.n).toBe(60);
      expect(await storedVolume()).toBe(60);
      await eventually(() => listener.events.filter((e) => e === 'bar').length === BARS);
      const firstBar = listener.events.indexOf('bar');
      expect(listener.events.slice(firstBar).every((e) => e === 'bar')).toBe(true);
      expect(firstBar).toBeGreaterThan(0);
    } finally {
      await listener.end();
      await pool.query('DROP TRIGGER tick_writes_fail ON ticks; DROP FUNCTION tick_writes_fail(); DROP TABLE tick_writes_fail');
    }
  });
});

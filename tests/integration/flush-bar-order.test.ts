// Bar slices keep each series in time order: a closed bar is never stored (nor announced) after a later
// closed bar of its contract and timeframe, whatever the order the bars were first pending in. Taken in
// the pending Map's order, two ways broke it, each for 100 of the 150 contracts: a forming bar taken by
// one slice closed while the next bar of its series waited ahead of it (a bar closes one grace after its
// bucket, while the next one already trades), and a failed slice's bars went back behind later ones.
import { beforeEach, describe, expect, it } from 'vitest';
import { BarAggregator, type OhlcMessage, parseTimeframe, SessionCalendar, type Trade, UTC_CALENDAR } from '../../core/src/index.ts';
import { createMetricsRegistry, type Pool, RateLimitedLog } from '../../core/src/node.ts';
import { IngestFlusher } from '../../ingester/src/ingest-flusher.ts';
import { createIngestMetrics } from '../../ingester/src/ingest-metrics.ts';
import { MarketClock } from '../../ingester/src/market-clock.ts';
import { ChannelListener } from '../support/channel-listener.ts';
import { quietLogger } from '../support/quiet-logger.ts';
import type { TestDatabase } from '../support/test-database.ts';
import { syncSimulatedContracts } from '../support/simulated-contracts.ts';
import { useTestDatabase } from '../support/use-test-database.ts';

/** 150 contracts of one 1m series each: more than one slice (100 bars) of each minute. */
const IDS = Array.from({ length: 150 }, (_, i) => `ORDER${String(i).padStart(3, '0')}`);
const MINUTE = 60_000;
const T0 = Date.parse('2026-03-02T14:30:00Z');
/** Long enough that 14:30 is still forming when 14:31 trades. */
const GRACE_MS = 10 * MINUTE;

let db: TestDatabase;
let pool: Pool;
useTestDatabase(
  async (ground) => {
    ({ db, pool } = ground);
    await syncSimulatedContracts(pool, IDS);
  },
  { max: 4 },
);
beforeEach(async () => {
  await pool.query('TRUNCATE ohlc_bars, ticks');
});

function setUp(graceMs: number) {
  const calendar = new SessionCalendar(UTC_CALENDAR);
  const aggregator = new BarAggregator({ timeframes: [parseTimeframe('1m')], calendarFor: () => calendar, graceMs });
  // Stream time only: the wall clock does not move it between the test's trades.
  const clock = new MarketClock({ rate: 0 });
  const logger = quietLogger('t');
  const flusher = new IngestFlusher({
    pool,
    aggregator,
    clock,
    logger,
    metrics: createIngestMetrics(createMetricsRegistry('t')),
    rateLimited: new RateLimitedLog(logger),
    beforeFlush: () => undefined,
  });
  flusher.halt(); // flushes only when the test asks
  const tradeAll = (at: number): void =>
    IDS.forEach((contractId, i) => {
      const trade: Trade = { contractId, time: at + i, price: 5000 + i, volume: 1, side: 'buy' };
      clock.observe(trade.time);
      expect(aggregator.addTrade(trade, clock.now())).toBe('accepted');
      flusher.addTick(trade);
    });
  return { flusher, tradeAll };
}

const storedBars = async (): Promise<{ closed: number; forming: number } | undefined> =>
  (
    await pool.query<{ closed: number; forming: number }>(
      `SELECT count(*) FILTER (WHERE is_closed)::int AS closed, count(*) FILTER (WHERE NOT is_closed)::int AS forming FROM ohlc_bars`,
    )
  ).rows[0];

/** Contracts whose closed bars were not announced (NOTIFYs arrive in commit order) as exactly
 * `closedEach` bars in rising time. */
function outOfOrder(messages: readonly OhlcMessage[], closedEach: number): string[] {
  const closedTimes = new Map<string, number[]>();
  for (const m of messages) {
    if (!m.is_closed) continue;
    const times = closedTimes.get(m.contract_id) ?? [];
    times.push(Date.parse(m.timestamp));
    closedTimes.set(m.contract_id, times);
  }
  return IDS.filter((id) => {
    const times = closedTimes.get(id) ?? [];
    return times.length !== closedEach || times.some((t, i) => i > 0 && t <= (times[i - 1] as number));
  });
}

describe('IngestFlusher bar slices: time order per series', () => {
  it('a forming bar sliced earlier closes behind the next bar of its series: still committed first', async () => {
    const { flusher, tradeAll } = setUp(GRACE_MS);
    const listener = await ChannelListener.listen(db.url, 'ohlcUpdate');
    tradeAll(T0 + 5_000); // 14:30 forming: the first slice takes 100 of the 150
    await flusher.flush(true);
    tradeAll(T0 + MINUTE + 5_000); // 14:31 forming, 14:30 still in its grace
    await flusher.flush(true);
    tradeAll(T0 + 13 * MINUTE + 5_000); // 14:30 and 14:31 close, 14:43 forms
    await flusher.flushAll();
    expect(flusher.pendingBarCount).toBe(0);
    expect(await storedBars()).toEqual({ closed: 300, forming: 150 });
    // 150 + 50 forming of 14:30 and 14:31 (100 closed before a slice took them), 300 closed, 150 of 14:43.
    const messages = await listener.take(650).finally(() => listener.end());
    expect(outOfOrder(messages, 2)).toEqual([]);
  });

  it('a failed slice goes back behind later bars of its series: still committed first', async () => {
    const { flusher, tradeAll } = setUp(0);
    // Upserts fail while a row is in bar_writes_fail (a trigger on the bar upsert).
    await pool.query(`CREATE TABLE bar_writes_fail (on_purpose boolean);
      CREATE FUNCTION bar_writes_fail() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM bar_writes_fail) THEN RAISE EXCEPTION 'bar writes fail on purpose'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER bar_writes_fail BEFORE INSERT ON ohlc_bars FOR EACH ROW EXECUTE FUNCTION bar_writes_fail();
      INSERT INTO bar_writes_fail VALUES (true)`);
    const listener = await ChannelListener.listen(db.url, 'ohlcUpdate');
    try {
      tradeAll(T0 + 5_000); // 14:30, 14:31 and 14:32 pending: the first two closed
      tradeAll(T0 + MINUTE + 5_000);
      tradeAll(T0 + 2 * MINUTE + 5_000);
      await flusher.flush(true); // takes 14:30 of 100 contracts, fails: they go back
      expect(flusher.databaseOk).toBe(false);
      expect(flusher.pendingBarCount).toBe(450);
      // The tick lane does not wait on the bars: the ticks are in.
      expect((await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM ticks')).rows[0]?.n).toBe(450);
      await pool.query('DELETE FROM bar_writes_fail');
      await flusher.flushAll();
    } finally {
      await pool.query('DROP TRIGGER bar_writes_fail ON ohlc_bars; DROP FUNCTION bar_writes_fail(); DROP TABLE bar_writes_fail');
    }
    expect(flusher.pendingBarCount).toBe(0);
    expect(await storedBars()).toEqual({ closed: 300, forming: 150 });
    const messages = await listener.take(450).finally(() => listener.end());
    expect(outOfOrder(messages, 2)).toEqual([]);
  });
});

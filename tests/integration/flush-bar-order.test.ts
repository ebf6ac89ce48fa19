// Bar slices keep each series in time order: a closed bar is never stored (nor announced) after a later
// closed bar of its contract and timeframe, whatever the order the bars were first pending in. Here a
// forming bar taken by one slice closes while the next bar of its series waits in the pending Map ahead
// of it (a bar closes one grace after its bucket, while the next one already trades): taken in the Map's
// order, 14:31 would commit closed before 14:30 for 100 of the 150 contracts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BarAggregator, parseTimeframe, SessionCalendar, type Trade, UTC_CALENDAR } from '../../core/src/index.ts';
import { createMetricsRegistry, createPool, type Pool, RateLimitedLog } from '../../core/src/node.ts';
import { syncContracts } from '../../ingester/src/contract-sync.ts';
import { IngestFlusher } from '../../ingester/src/ingest-flusher.ts';
import { createIngestMetrics } from '../../ingester/src/ingest-metrics.ts';
import { MarketClock } from '../../ingester/src/market-clock.ts';
import { ChannelListener } from '../support/channel-listener.ts';
import { quietLogger } from '../support/quiet-logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

/** 150 contracts of one 1m series each: more than one slice (100 bars) of each minute. */
const IDS = Array.from({ length: 150 }, (_, i) => `ORDER${String(i).padStart(3, '0')}`);
const MINUTE = 60_000;
const T0 = Date.parse('2026-03-02T14:30:00Z');
/** Long enough that 14:30 is still forming when 14:31 trades. */
const GRACE_MS = 10 * MINUTE;

let db: TestDatabase;
let pool: Pool;
beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPool(db.url, { max: 4 });
  await syncContracts(
    pool,
    IDS.map((id) => ({ id, provider: 'simulated', symbol: id, name: id, description: '', tick_size: 0.25, session_calendar: 'utc' })),
  );
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

describe('IngestFlusher bar slices: time order per series', () => {
  it('commits and announces each series’ closed bars in time order when a forming bar sliced earlier closes', async () => {
    const calendar = new SessionCalendar(UTC_CALENDAR);
    const aggregator = new BarAggregator({ timeframes: [parseTimeframe('1m')], calendarFor: () => calendar, graceMs: GRACE_MS });
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
    const listener = await ChannelListener.listen(db.url, 'ohlcUpdate');
    const tradeAll = (at: number): void =>
      IDS.forEach((contractId, i) => {
        const trade: Trade = { contractId, time: at + i, price: 5000 + i, volume: 1, side: 'buy' };
        clock.observe(trade.time);
        expect(aggregator.addTrade(trade, clock.now())).toBe('accepted');
        flusher.addTick(trade);
      });

    tradeAll(T0 + 5_000); // 14:30 forming: the first slice takes 100 of the 150
    await flusher.flush(true);
    tradeAll(T0 + MINUTE + 5_000); // 14:31 forming, 14:30 still in its grace
    await flusher.flush(true);
    tradeAll(T0 + 13 * MINUTE + 5_000); // 14:30 and 14:31 close, 14:43 forms
    await flusher.flushAll();
    expect(flusher.pendingBarCount).toBe(0);

    const { rows } = await pool.query<{ closed: number; forming: number }>(
      `SELECT count(*) FILTER (WHERE is_closed)::int AS closed, count(*) FILTER (WHERE NOT is_closed)::int AS forming FROM ohlc_bars`,
    );
    expect(rows[0]).toEqual({ closed: 300, forming: 150 });
    // 150 + 50 forming of 14:30 and 14:31 (100 closed before a slice took them), 300 closed, 150 of 14:43.
    // NOTIFYs arrive in commit order: per contract, the closed bars' times must only go up.
    const messages = await listener.take(650).finally(() => listener.end());
    const closedTimes = new Map<string, number[]>();
    for (const m of messages) {
      if (!m.is_closed) continue;
      const times = closedTimes.get(m.contract_id) ?? [];
      times.push(Date.parse(m.timestamp));
      closedTimes.set(m.contract_id, times);
    }
    const outOfOrder = IDS.filter((id) => {
      const times = closedTimes.get(id) ?? [];
      return !(times.length === 2 && (times[0] as number) < (times[1] as number));
    });
    expect(outOfOrder).toEqual([]);
  });
});

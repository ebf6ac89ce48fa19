// A flush upserts at most 100 bars: 30 contracts × 6 timeframes of forming bars (180) go in two flushes,
// the ticks with the first, so no transaction grows with the contract count; flushAll leaves none behind,
// and every bar stored is announced once.
import { describe, expect, it } from 'vitest';
import { BarAggregator, parseTimeframe, SessionCalendar, type Trade, UTC_CALENDAR } from '../../core/src/index.ts';
import { createMetricsRegistry, type Pool, RateLimitedLog } from '../../core/src/node.ts';
import { IngestFlusher } from '../../ingester/src/ingest-flusher.ts';
import { createIngestMetrics } from '../../ingester/src/ingest-metrics.ts';
import { MarketClock } from '../../ingester/src/market-clock.ts';
import { ChannelListener } from '../support/channel-listener.ts';
import { quietLogger } from '../support/quiet-logger.ts';
import type { TestDatabase } from '../support/test-database.ts';
import { syncSimulatedContracts } from '../support/simulated-contracts.ts';
import { useTestDatabase } from '../support/use-test-database.ts';

const IDS = Array.from({ length: 30 }, (_, i) => `SLICE${String(i).padStart(2, '0')}`);
const TIMEFRAMES = ['1m', '5m', '15m', '1h', '4h', '1d'];
const T0 = Date.parse('2026-03-02T14:30:10Z');

let db: TestDatabase;
let pool: Pool;
useTestDatabase(
  async (ground) => {
    ({ db, pool } = ground);
    await syncSimulatedContracts(pool, IDS);
  },
  { max: 4 },
);

const count = async (table: 'ohlc_bars' | 'ticks'): Promise<number> =>
  (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n ?? -1;

describe('IngestFlusher bar slices', () => {
  it('writes 180 forming bars as 100 then 80, every one stored and announced once', async () => {
    const calendar = new SessionCalendar(UTC_CALENDAR);
    const aggregator = new BarAggregator({ timeframes: TIMEFRAMES.map((t) => parseTimeframe(t)), calendarFor: () => calendar, graceMs: 0 });
    const clock = new MarketClock();
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
    flusher.halt(); // flushes only when the test asks
    const listener = await ChannelListener.listen(db.url, 'ohlcUpdate');
    IDS.forEach((contractId, i) => {
      const trade: Trade = { contractId, time: T0 + i, price: 5000 + i, volume: 1, side: 'buy' };
      clock.observe(trade.time);
      expect(aggregator.addTrade(trade, clock.now())).not.toBe('late');
      flusher.addTick(trade);
    });

    await flusher.flush(true);
    expect(await count('ohlc_bars')).toBe(100);
    expect(await count('ticks')).toBe(IDS.length);
    expect(flusher.pendingBarCount).toBe(80);

    await flusher.flushAll();
    expect(flusher.pendingBarCount).toBe(0);
    expect(await count('ohlc_bars')).toBe(180);
    const messages = await listener.take(180);
    expect(messages).toHaveLength(180);
    const keys = new Set(messages.map((m) => `${m.contract_id}|${m.timeframe_unit}|${m.timeframe_value}`));
    expect(keys.size).toBe(180);
    await listener.end();
  });
});

// A trade that arrives after its bar closed (the stream resumed behind the clock, a venue sent it out of
// order) is recorded, not dropped: its tick is stored, counted in ingester_late_trades_total and warned
// about. Its closed bar is left as it was written (signals may have been computed on it); the connect
// repair and `npm run download` rewrite bars from the vendor's history.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { BarAggregator, parseTimeframe, SessionCalendar, type Trade, UTC_CALENDAR } from '../../core/src/index.ts';
import { createMetricsRegistry, type Pool } from '../../core/src/node.ts';
import { syncContracts } from '../../ingester/src/contract-sync.ts';
import { createIngestMetrics } from '../../ingester/src/ingest-metrics.ts';
import { IngestPipeline } from '../../ingester/src/ingest-pipeline.ts';
import { MarketClock } from '../../ingester/src/market-clock.ts';
import { eventually } from '../support/eventually.ts';
import { useTestDatabase } from '../support/use-test-database.ts';

const ID = 'LATE.TRADE';
const T0 = Date.parse('2026-03-02T14:30:00Z');

let pool: Pool;
useTestDatabase(async (ground) => {
  pool = ground.pool;
  await syncContracts(pool, [
    { id: ID, provider: 'simulated', symbol: ID, name: ID, description: '', tick_size: 0.25, session_calendar: 'utc' },
  ]);
});

const trade = (offsetMs: number, price: number, volume: number, tradeId: string): Trade => ({
  contractId: ID,
  time: T0 + offsetMs,
  price,
  volume,
  side: 'buy',
  tradeId,
});

describe('a trade after its bar closed', () => {
  it('is stored as a tick and counted; the closed bar stays as written', async () => {
    const metrics = createIngestMetrics(createMetricsRegistry('late-trade'));
    const warnings: string[] = [];
    // pino writes each line to this stream; the warnings are what a user's log would show.
    const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) });
    const pipeline = new IngestPipeline({
      pool,
      aggregator: new BarAggregator({
        timeframes: [parseTimeframe('1m')],
        calendarFor: () => new SessionCalendar(UTC_CALENDAR),
        graceMs: 1_000,
      }),
      // The market clock reads the test's own clock, standing at T0, never this machine's: the replayed
      // trades of 2026-03-02 are as near to "now" as a live feed's, whatever the date the test runs on.
      clock: new MarketClock({ rate: 0, wall: () => T0 }),
      logger,
      metrics,
      contracts: new Set([ID]),
      flushIntervalMs: 2,
      maxClockSkewMs: 600_000,
    });
    pipeline.start();
    try {
      pipeline.onTrades([trade(1_000, 100, 2, '1')]);
      // Two minutes on: minute 0 closes (its end plus the 1 s grace has passed on the stream).
      pipeline.onTrades([trade(120_000, 101, 3, '2')]);
      const closed = async () =>
        (
          await pool.query<{ volume: number; high: number }>(
            `SELECT volume::float8 AS volume, high::float8 AS high FROM ohlc_bars WHERE contract_id = $1 AND "timestamp" = $2 AND timeframe = '1m' AND is_closed`,
            [ID, new Date(T0)],
          )
        ).rows[0];
      await eventually(async () => (await closed()) !== undefined);
      // Minute 0's trade, arriving now: late.
      pipeline.onTrades([trade(30_000, 105, 7, '3')]);
      await pipeline.flush();
      const ticks = await pool.query<{ trade_id: string; volume: number }>(
        `SELECT trade_id, volume::float8 AS volume FROM ticks WHERE contract_id = $1 ORDER BY "timestamp", trade_id`,
        [ID],
      );
      expect(ticks.rows).toEqual([
        { trade_id: '1', volume: 2 },
        { trade_id: '3', volume: 7 },
        { trade_id: '2', volume: 3 },
      ]);
      expect((await metrics.lateTrades.get()).values[0]?.value).toBe(1);
      expect(warnings.some((w) => w.includes('after its bar closed'))).toBe(true);
      expect(await closed()).toEqual({ volume: 2, high: 100 });
    } finally {
      await pipeline.stop();
    }
  });
});

// Memory bounded by design: ticks waiting for the database are capped on intake, whatever the rate;
// the oldest go (counted), the newest are stored, and the bars still count every trade.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Trade } from '../../core/src/index.ts';
import { createPool, type Pool } from '../../core/src/node.ts';
import { syncContracts } from '../../ingester/src/contract-sync.ts';
import { minutePipeline } from '../support/minute-pipeline.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

const ID = 'BOUND';
const T0 = Math.floor(Date.now() / 60_000) * 60_000;

let db: TestDatabase;
let pool: Pool;
beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPool(db.url);
  await syncContracts(pool, [
    { id: ID, provider: 'simulated', symbol: ID, name: ID, description: '', tick_size: 0.25, session_calendar: 'utc' },
  ]);
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

describe('the tick buffer', () => {
  it('keeps at most maxBufferedTicks: a burst beyond it drops the oldest ticks, counted, and no trade from the bars', async () => {
    const { pipeline, metrics } = minutePipeline({
      pool,
      contractId: ID,
      graceMs: 0,
      flushIntervalMs: 1_000_000,
      maxClockSkewMs: 300_000,
      maxBufferedTicks: 10,
    });
    const burst: Trade[] = Array.from({ length: 25 }, (_, i) => ({
      contractId: ID,
      time: T0 + i,
      price: 100 + i,
      volume: 1,
      side: 'buy',
      tradeId: String(i),
    }));
    // One synchronous burst: no flush can run in between.
    pipeline.onTrades(burst);
    expect(pipeline.bufferedTicks).toBe(10);
    expect((await metrics.ticksDropped.get()).values[0]?.value).toBe(15);
    await pipeline.stop();
    const { rows } = await pool.query<{ trade_id: string }>('SELECT trade_id FROM ticks WHERE contract_id = $1 ORDER BY "timestamp"', [ID]);
    expect(rows.map((r) => r.trade_id)).toEqual(burst.slice(15).map((t) => t.tradeId));
    const bars = await pool.query<{ volume: number; open: number }>(
      `SELECT volume, open FROM ohlc_bars WHERE contract_id = $1 AND timeframe = '1m'`,
      [ID],
    );
    expect(bars.rows).toEqual([{ volume: 25, open: 100 }]);
  });
});

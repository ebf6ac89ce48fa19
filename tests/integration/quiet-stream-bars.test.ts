// The quiet-stream rule through the real pipeline and PostgreSQL, on fake time: after the newest
// trade, stream time runs on with the wall clock, so a bar closes one grace period after its bucket
// ends even when no trade follows, and not a millisecond before. The stream is a year behind the wall.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Trade } from '../../core/src/index.ts';
import { createPool, type Pool } from '../../core/src/node.ts';
import { syncContracts } from '../../ingester/src/contract-sync.ts';
import { minutePipeline } from '../support/minute-pipeline.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

const WALL = Date.UTC(2026, 5, 1, 12, 0, 0);
const STREAM = Date.UTC(2025, 5, 1, 9, 30, 0);
const GRACE = 2_000;
const ID = 'QUIET';

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
afterEach(() => {
  vi.useRealTimers();
});

const trade = (time: number, price: number): Trade => ({ contractId: ID, time, price, volume: 1, side: 'buy' });

async function minuteBar(): Promise<{ closed: boolean; volume: number } | undefined> {
  const { rows } = await pool.query<{ is_closed: boolean; volume: number }>(
    `SELECT is_closed, volume FROM ohlc_bars WHERE contract_id = $1 AND timeframe = '1m' AND "timestamp" = to_timestamp($2::float8 / 1000)`,
    [ID, STREAM],
  );
  return rows[0] && { closed: rows[0].is_closed, volume: rows[0].volume };
}

describe('a quiet stream', () => {
  it('closes its last bar by wall time elapsed since its newest trade', async () => {
    // Only Date is faked: PostgreSQL's sockets and the driver's timers run for real.
    vi.useFakeTimers({ toFake: ['Date'], now: WALL });
    const { pipeline } = minutePipeline({ pool, contractId: ID, graceMs: GRACE, flushIntervalMs: 1_000_000, maxClockSkewMs: 300_000 });
    // The newest trade is 10 s into the minute: the bar may close 50 s + grace of stream time later.
    pipeline.onTrades([trade(STREAM + 5_000, 100), trade(STREAM + 10_000, 101)]);
    await pipeline.flush();
    // Flushes write closed bars as they close (forming ones only on the flush interval, never due here).
    vi.setSystemTime(WALL + 50_000 + GRACE - 1);
    await pipeline.flush();
    expect(await minuteBar()).toBeUndefined();
    vi.setSystemTime(WALL + 50_000 + GRACE);
    await pipeline.flush();
    expect(await minuteBar()).toEqual({ closed: true, volume: 2 });
    await pipeline.stop();
  });
});

// The ingester runs its retention pass at start beside ingesting: ticks and 1m bars older than the
// settings go, while the live feed's rows are stored as usual and the pass shows on /metrics.
import { describe, expect, it } from 'vitest';
import { ingestContracts } from '../../core/src/index.ts';
import type { Pool } from '../../core/src/node/db-pool.ts';
import { parseSettings } from '../../core/src/node/load-config.ts';
import { IngesterService } from '../../ingester/src/ingester-service.ts';
import { SimulatedProvider } from '../../ingester/src/providers/simulated-provider.ts';
import { eventually } from '../support/eventually.ts';
import { quietLogger } from '../support/quiet-logger.ts';
import type { TestDatabase } from '../support/test-database.ts';
import { useTestDatabase } from '../support/use-test-database.ts';

let db: TestDatabase;
let pool: Pool;

const settings = parseSettings({
  contracts: [{ id: 'SIM.X', provider: 'simulated', symbol: 'X', tick_size: 0.25, session_calendar: 'utc', start_price: 4000 }],
  ingester: {
    contracts: ['SIM.X'],
    timeframes: ['1m', '5m'],
    flush_interval_ms: 50,
    backfill_lookback_hours: 0.25,
    simulated: { ticks_per_second: 40, seed: 3, market_hours: 'always' },
  },
  retention: { ticks_days: 2, bars: { '1m': 2 }, batch_rows: 100 },
});

useTestDatabase((ground) => {
  ({ db, pool } = ground);
});

async function count(sql: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`);
  return rows[0]?.n ?? -1;
}

describe('ingester retention', () => {
  it('removes the old ticks and 1m bars at start, keeps old 5m bars, and goes on ingesting', async () => {
    // Ten days ago: older than any cutoff of 2 days; 450 ticks make several batches of 100.
    await pool.query(`INSERT INTO ticks (contract_id, "timestamp", price, volume)
      SELECT 'SIM.X', now() - interval '10 days' + g * interval '1 second', 4000, 1 FROM generate_series(1, 450) g`);
    for (const [label, unit, value] of [
      ['1m', 2, 1],
      ['5m', 2, 5],
    ] as const)
      await pool.query(
        `INSERT INTO ohlc_bars (contract_id, "timestamp", open, high, low, close, volume, timeframe_unit, timeframe_value, timeframe, is_closed)
         SELECT 'SIM.X', date_trunc('hour', now()) - interval '10 days' + g * $3::int * interval '1 minute', 10, 11, 9, 10, 1, $1, $3, $2, true
           FROM generate_series(1, 120) g`,
        [unit, label, value],
      );
    const contracts = ingestContracts(settings);
    const service = new IngesterService({
      settings,
      databaseUrl: db.url,
      contracts,
      provider: new SimulatedProvider({ contracts, ticksPerSecond: 40, seed: 3, intervalMs: 20 }),
      logger: quietLogger('ingester'),
      metricsPort: 0,
    });
    try {
      await service.start();
      const metrics = () => fetch(`http://127.0.0.1:${service.metricsPort}/metrics`).then((r) => r.text());
      await eventually(async () => /^ingester_retention_runs_total\{outcome="ok",service="ingester"\} 1$/m.test(await metrics()), 30_000);
      expect(await count(`ticks WHERE "timestamp" < now() - interval '5 days'`)).toBe(0);
      expect(await count(`ohlc_bars WHERE timeframe = '1m' AND "timestamp" < now() - interval '5 days'`)).toBe(0);
      expect(await count(`ohlc_bars WHERE timeframe = '5m' AND "timestamp" < now() - interval '5 days'`)).toBe(120);
      const text = await metrics();
      expect(text).toContain('ingester_retention_rows_deleted_total{table="ticks",timeframe="",service="ingester"} 450');
      expect(text).toContain('ingester_retention_rows_deleted_total{table="ohlc_bars",timeframe="1m",service="ingester"} 120');
      // Ingesting goes on beside it.
      await eventually(async () => (await count(`ticks WHERE "timestamp" > now() - interval '1 hour'`)) > 0, 30_000);
    } finally {
      await service.stop();
    }
  });
});

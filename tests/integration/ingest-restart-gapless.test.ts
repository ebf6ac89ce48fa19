// No gaps, no duplicates: a deterministic market at 60× speed, the ingester stopped for two market
// minutes and started again; backfill + connect-minute repair must leave exactly the market's bars.
import { describe, expect, it } from 'vitest';
import { BarAggregator, barTradePath, calendarFor, type ContractBar, ingestContracts, parseTimeframe } from '../../core/src/index.ts';
import { parseSettings } from '../../core/src/node/load-config.ts';
import { IngesterService } from '../../ingester/src/ingester-service.ts';
import { SimulatedMarket } from '../../ingester/src/providers/simulated-market.ts';
import { SimulatedProvider } from '../../ingester/src/providers/simulated-provider.ts';
import type { Pool } from '../../core/src/node/db-pool.ts';
import { until } from '../fakes/recording-sink.ts';
import { eventually } from '../support/eventually.ts';
import { quietLogger } from '../support/quiet-logger.ts';
import type { TestDatabase } from '../support/test-database.ts';
import { useTestDatabase } from '../support/use-test-database.ts';

const SPEED = 60;
const TICKS_PER_SECOND = 40;
let db: TestDatabase;
let pool: Pool;

const settings = parseSettings({
  contracts: [{ id: 'SIM.X', provider: 'simulated', symbol: 'X', tick_size: 0.25, session_calendar: 'utc', start_price: 4000 }],
  ingester: {
    contracts: ['SIM.X'],
    timeframes: ['1m', '5m'],
    flush_interval_ms: 50,
    close_grace_ms: 500,
    max_clock_skew_ms: 86_400_000,
    backfill_lookback_hours: 0.25,
    simulated: { ticks_per_second: TICKS_PER_SECOND, seed: 3 },
  },
});

useTestDatabase((ground) => {
  ({ db, pool } = ground);
});

async function connectRepairs(metricsPort: number | undefined): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  return Number(/^ingester_connect_repairs_total(?:\{[^}]*\})? (\S+)$/m.exec(text)?.[1] ?? 0);
}

describe('ingester restart', () => {
  it('leaves exactly the market bars: nothing missing, nothing doubled', async () => {
    const t0 = Date.now();
    const streamNow = () => t0 + (Date.now() - t0) * SPEED;
    const contracts = ingestContracts(settings);
    // Each run lasts until its connect minute was repaired and at least `minutes` of market time passed:
    // conditions, not wall-clock durations, so a slow machine only makes the runs longer.
    const run = async (minutes: number) => {
      const provider = new SimulatedProvider({ contracts, ticksPerSecond: TICKS_PER_SECOND, seed: 3, intervalMs: 20, now: streamNow });
      const service = new IngesterService({
        settings,
        databaseUrl: db.url,
        contracts,
        provider,
        logger: quietLogger('ingester'),
        metricsPort: 0,
      });
      await service.start();
      const from = streamNow();
      await eventually(async () => streamNow() >= from + minutes * 60_000 && (await connectRepairs(service.metricsPort)) >= 1, 45_000);
      await service.stop();
    };
    await run(4);
    const stoppedAt = streamNow();
    // Two market minutes while down: only history can fill them.
    await until(() => streamNow() >= stoppedAt + 2 * 60_000, 'two market minutes down', 30_000);
    await run(4);

    const { rows } = await pool.query<{
      t: number;
      open: number;
      high: number;
      low: number;
      close: number;
      volume: number;
      v: number;
      is_closed: boolean;
    }>(
      `SELECT (extract(epoch FROM "timestamp") * 1000)::float8 AS t, open, high, low, close, volume, timeframe_value AS v, is_closed
         FROM ohlc_bars WHERE contract_id = 'SIM.X' ORDER BY timeframe_value, "timestamp"`,
    );
    const closedMinutes = rows.filter((r) => r.v === 1 && r.is_closed);
    const first = closedMinutes[0]?.t ?? 0;
    const last = closedMinutes[closedMinutes.length - 1]?.t ?? 0;
    expect(last - first).toBeGreaterThan(20 * 60_000); // backfilled lookback + both runs + the gap

    // Expected: the market's own 1m bars, and their 5m rollup, over the same span.
    const market = new SimulatedMarket(3, (TICKS_PER_SECOND / 1) * 60);
    const contract = contracts[0]!;
    const minutes = market.minuteBars(contract, first, last + 60_000);
    expect(closedMinutes.map((r) => [r.t, r.open, r.high, r.low, r.close, r.volume])).toEqual(
      minutes.map((b) => [b.time, b.open, b.high, b.low, b.close, b.volume]),
    );

    const calendar = calendarFor(settings, contract);
    const agg = new BarAggregator({ timeframes: [parseTimeframe('5m')], calendarFor: () => calendar, graceMs: 0 });
    const fives = new Map<number, ContractBar>();
    for (const m of minutes) for (const t of barTradePath('SIM.X', m, m.time, m.time + 60_000)) agg.addTrade(t, t.time);
    agg.advance(Number.MAX_SAFE_INTEGER);
    for (const b of agg.drain()) fives.set(b.time, b);
    const storedFives = rows.filter(
      (r) => r.v === 5 && r.is_closed && r.t >= Math.ceil(first / 300_000) * 300_000 && r.t + 300_000 <= last + 60_000,
    );
    expect(storedFives.length).toBeGreaterThan(3);
    for (const r of storedFives) {
      const e = fives.get(r.t);
      expect([r.open, r.high, r.low, r.close, r.volume], new Date(r.t).toISOString()).toEqual([
        e?.open,
        e?.high,
        e?.low,
        e?.close,
        e?.volume,
      ]);
    }
  }, 60_000);
});

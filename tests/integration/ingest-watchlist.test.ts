// The watchlist drives the ingester without a restart: a contract added there is streamed and
// backfilled as on a connect (its stored 1m bars are exactly the market's, history and live alike),
// it is streamed again after a restart, one of another provider is left alone, and a removed one
// stops being stored.
import { describe, expect, it } from 'vitest';
import { ingestContracts } from '../../core/src/index.ts';
import { parseSettings } from '../../core/src/node/load-config.ts';
import type { Pool } from '../../core/src/node/db-pool.ts';
import { IngesterService } from '../../ingester/src/ingester-service.ts';
import { SimulatedMarket } from '../../ingester/src/providers/simulated-market.ts';
import { SimulatedProvider } from '../../ingester/src/providers/simulated-provider.ts';
import { eventually } from '../support/eventually.ts';
import { quietLogger } from '../support/quiet-logger.ts';
import type { TestDatabase } from '../support/test-database.ts';
import { useTestDatabase } from '../support/use-test-database.ts';

const SPEED = 60;
const TICKS_PER_SECOND = 40;
const SEED = 5;
let db: TestDatabase;
let pool: Pool;

const settings = parseSettings({
  contracts: [
    { id: 'SIM.X', provider: 'simulated', symbol: 'X', tick_size: 0.25, session_calendar: 'utc', start_price: 4000 },
    { id: 'SIM.Y', provider: 'simulated', symbol: 'Y', tick_size: 0.25, session_calendar: 'utc', start_price: 150 },
    { id: 'BTCUSDT', provider: 'binance', symbol: 'BTCUSDT', tick_size: 0.01, session_calendar: 'utc' },
  ],
  ingester: {
    contracts: ['SIM.X'],
    timeframes: ['1m', '5m'],
    flush_interval_ms: 50,
    close_grace_ms: 500,
    max_clock_skew_ms: 86_400_000,
    backfill_lookback_hours: 0.25,
    simulated: { ticks_per_second: TICKS_PER_SECOND, seed: SEED },
  },
});

useTestDatabase((ground) => {
  ({ db, pool } = ground);
});

interface Health {
  readonly contracts: string[];
  readonly watchlist: string[];
}

async function health(service: IngesterService): Promise<Health> {
  return (await (await fetch(`http://127.0.0.1:${service.metricsPort}/health`)).json()) as Health;
}

async function connectRepairs(service: IngesterService): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${service.metricsPort}/metrics`)).text();
  return Number(/^ingester_connect_repairs_total(?:\{[^}]*\})? (\S+)$/m.exec(text)?.[1] ?? 0);
}

async function tickCount(contractId: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM ticks WHERE contract_id = $1', [contractId]);
  return rows[0]?.n ?? 0;
}

/** Changes the watchlist and announces it in one transaction, as the API does. */
async function watchlist(sql: string, contractId: string, action: 'added' | 'removed'): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(sql, [contractId]);
    await client.query("SELECT pg_notify('watchlist_changed', $1)", [
      JSON.stringify({ type: 'watchlist_changed', contract_id: contractId, action }),
    ]);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

describe('ingester follows the watchlist', () => {
  it('streams and backfills an added contract, keeps it across a restart, stops a removed one', async () => {
    const t0 = Date.now();
    const streamNow = () => t0 + (Date.now() - t0) * SPEED;
    const configured = ingestContracts(settings);
    const start = async () => {
      const provider = new SimulatedProvider({
        contracts: configured,
        ticksPerSecond: TICKS_PER_SECOND,
        seed: SEED,
        intervalMs: 20,
        now: streamNow,
      });
      const service = new IngesterService({
        settings,
        databaseUrl: db.url,
        contracts: configured,
        provider,
        logger: quietLogger('ingester'),
        metricsPort: 0,
      });
      await service.start();
      return service;
    };

    // Run 1: SIM.Y joins while the feed is up; BTCUSDT (another provider) joins the watchlist too.
    const first = await start();
    await eventually(async () => (await connectRepairs(first)) >= 1, 45_000);
    const addedAt = streamNow();
    await watchlist('INSERT INTO watchlist (contract_id) VALUES ($1)', 'SIM.Y', 'added');
    await watchlist('INSERT INTO watchlist (contract_id) VALUES ($1)', 'BTCUSDT', 'added');
    await eventually(async () => (await health(first)).watchlist.includes('SIM.Y'));
    expect((await health(first)).contracts.sort()).toEqual(['SIM.X', 'SIM.Y']);
    // Its own connect minute repaired, and three market minutes streamed live.
    await eventually(async () => (await connectRepairs(first)) >= 2 && streamNow() >= addedAt + 3 * 60_000, 45_000);
    await first.stop();

    // Run 2: the watchlist contract is streamed from the start.
    const second = await start();
    expect(await health(second)).toMatchObject({ watchlist: ['SIM.Y'] });
    const restartedAt = streamNow();
    await eventually(async () => (await connectRepairs(second)) >= 1 && streamNow() >= restartedAt + 2 * 60_000, 45_000);

    // Removal: no SIM.Y tick is stored after the flushes that follow it.
    const removedAt = streamNow();
    await watchlist('DELETE FROM watchlist WHERE contract_id = $1', 'SIM.Y', 'removed');
    await eventually(async () => !(await health(second)).contracts.includes('SIM.Y'));
    // Flushes run one at a time: after two later SIM.X writes, the one in flight at the removal and the
    // one after it, every SIM.Y trade taken before the removal is stored; none may follow.
    const nextFlush = async () => {
      const before = await tickCount('SIM.X');
      await eventually(async () => (await tickCount('SIM.X')) > before);
    };
    await nextFlush();
    await nextFlush();
    const y = await tickCount('SIM.Y');
    await nextFlush();
    await nextFlush();
    expect(await tickCount('SIM.Y')).toBe(y);
    await second.stop();
    expect(await tickCount('BTCUSDT')).toBe(0);

    // SIM.Y's closed minutes, from its backfilled history up to the minute it was removed in, are the market's.
    const { rows } = await pool.query<{ t: number; open: number; high: number; low: number; close: number; volume: number }>(
      `SELECT (extract(epoch FROM "timestamp") * 1000)::float8 AS t, open, high, low, close, volume
         FROM ohlc_bars WHERE contract_id = 'SIM.Y' AND timeframe = '1m' AND is_closed AND "timestamp" < $1 ORDER BY "timestamp"`,
      [new Date(Math.floor(removedAt / 60_000) * 60_000)],
    );
    const firstBar = rows[0]?.t ?? Infinity;
    const lastBar = rows.at(-1)?.t ?? 0;
    expect(firstBar).toBeLessThan(addedAt - 10 * 60_000); // the lookback was backfilled when it joined
    expect(lastBar).toBeGreaterThan(restartedAt); // and it streamed after the restart
    const market = new SimulatedMarket(SEED, TICKS_PER_SECOND * 60);
    const contractY = settings.contracts.find((c) => c.id === 'SIM.Y')!;
    const expected = market.minuteBars(contractY, firstBar, lastBar + 60_000);
    expect(rows.map((r) => [r.t, r.open, r.high, r.low, r.close, r.volume])).toEqual(
      expected.map((b) => [b.time, b.open, b.high, b.low, b.close, b.volume]),
    );
  }, 120_000);
});

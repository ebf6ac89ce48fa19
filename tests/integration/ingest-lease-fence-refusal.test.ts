// What an ingester does when a flush is refused because a contract's lease moved (fence-check.ts,
// contract-leases.ts): before the fix, the refused flush went back to the buffers whole and was sent again
// a few ms later, refused again, until the lease manager's next cycle noticed (never, here: A's cycles
// do not run on their own), and the contracts still leased were stuck behind it. Now the first refusal
// stops that contract's streaming and leaves what is buffered of it to the taker: one refused write a
// contract, the other contract's ticks all stored. The flushes run by themselves (every 2 ms, the
// default); the test waits on conditions and counts, never on time.
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BarAggregator, type ContractSettings, parseTimeframe, SessionCalendar, type Trade, UTC_CALENDAR } from '../../core/src/index.ts';
import { createMetricsRegistry, createPool, LeaseManager, type Pool } from '../../core/src/node.ts';
import { ContractLeases } from '../../ingester/src/contract-leases.ts';
import { syncContracts } from '../../ingester/src/contract-sync.ts';
import { createIngestMetrics } from '../../ingester/src/ingest-metrics.ts';
import { IngestPipeline } from '../../ingester/src/ingest-pipeline.ts';
import { MarketClock } from '../../ingester/src/market-clock.ts';
import { eventually } from '../support/eventually.ts';
import { quietLogger } from '../support/quiet-logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

const MOVED = 'FENCEMOVED';
const KEPT = 'FENCEKEPT';
const T0 = Date.parse('2026-03-02T14:30:00Z');
const calendar = new SessionCalendar(UTC_CALENDAR);
const timeframes = [parseTimeframe('1m')];
const NEVER_MS = 3_600_000;
const ROUNDS = 30;
const contract = (id: string): ContractSettings => ({
  id,
  provider: 'simulated',
  symbol: id,
  name: id,
  description: '',
  tick_size: 0.25,
  session_calendar: 'utc',
});

let db: TestDatabase;
let pool: Pool;
let admin: pg.Client;
beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPool(db.url, { max: 4 });
  admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  await syncContracts(pool, [contract(MOVED), contract(KEPT)]);
});
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});
afterAll(async () => {
  await admin?.end();
  await pool?.end();
  await db?.drop();
});

async function count(sql: string, params: unknown[] = []): Promise<number> {
  return (await admin.query<{ n: number }>(sql, params)).rows[0]?.n ?? 0;
}

const ticksOf = (id: string) => count(`SELECT count(*)::int AS n FROM ticks WHERE contract_id = $1`, [id]);

describe('lease fence: a flush refused because a lease moved', () => {
  it.each([
    // A trade a second apart stays in one minute. A minute apart, each closes the bar two before it (the
    // stream passes that bar's end plus the 1 s grace): after the last, minutes 0 to ROUNDS - 1 are closed.
    ['ticks alone (the one-statement flush)', 1_000, 0],
    ['ticks and closed bars (the flush transaction)', 60_000, ROUNDS],
  ])('%s: one refused write, that contract stops, the other is stored', async (_name, spacingMs, keptClosedBars) => {
    await admin.query('TRUNCATE ticks, ohlc_bars');
    const metrics = createIngestMetrics(createMetricsRegistry('fence-refusal'));
    const leases = new ContractLeases({
      databaseUrl: db.url,
      retryMs: NEVER_MS,
      logger: quietLogger('fence'),
      perContract: true,
      contracts: [contract(MOVED), contract(KEPT)],
      onFeedLost: () => {
        throw new Error('per-contract leases never lose the whole feed');
      },
    });
    cleanups.push(() => leases.stop());
    await leases.start(() => false);
    expect([...leases.manager.held].sort()).toEqual([KEPT, MOVED]);
    const pipeline = new IngestPipeline({
      pool,
      aggregator: new BarAggregator({ timeframes, calendarFor: () => calendar, graceMs: 1_000 }),
      // The market clock reads the test's own clock, standing at T0, never this machine's: the replayed
      // trades of 2026-03-02 are as near to "now" as a live feed's, whatever the date the test runs on.
      clock: new MarketClock({ rate: 0, wall: () => T0 }),
      logger: quietLogger('fence'),
      metrics,
      contracts: new Set([MOVED, KEPT]),
      flushIntervalMs: NEVER_MS,
      maxClockSkewMs: 600_000,
      fence: leases.fence(),
    });
    pipeline.start();
    cleanups.push(() => pipeline.stop());
    const dropped: string[] = [];
    await leases.attach({
      take: (c) => Promise.resolve(pipeline.addContract(c)),
      drop: async (id) => {
        dropped.push(id);
        await pipeline.handOver(id);
      },
      streaming: () => pipeline.contractIds,
    });
    const trades = (i: number): Trade[] =>
      [MOVED, KEPT].map((id) => ({ contractId: id, time: T0 + i * spacingMs, price: 100 + (i % 4), volume: 1, side: 'buy' }));
    pipeline.onTrades(trades(0));
    await eventually(async () => (await ticksOf(MOVED)) === 1 && (await ticksOf(KEPT)) === 1);

    // A's lease session ends (PostgreSQL dropped it); B takes MOVED only. A has not noticed: its lease
    // manager still holds both at the epochs it took, and its flushes go on.
    const session = `barstream-lease:ingester:${leases.manager.instanceId}`.slice(0, 63);
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [session]);
    const b = new LeaseManager({
      service: 'ingester',
      databaseUrl: db.url,
      units: () => [MOVED],
      retryMs: 100,
      logger: quietLogger('fence'),
      instanceId: 'refusal-b',
      fenced: true,
      handler: { acquired: () => undefined, released: () => undefined },
    });
    cleanups.push(() => b.stop());
    await b.start();
    await eventually(() => b.holds(MOVED));

    // Both keep trading; A's flushes run by themselves. KEPT's ticks all get stored.
    for (let i = 1; i <= ROUNDS; i++) {
      pipeline.onTrades(trades(i));
      await eventually(async () => (await ticksOf(KEPT)) === i + 1);
    }
    const refused = async () => (await metrics.fenceRefused.get()).values.find((v) => v.labels.write === 'flush')?.value ?? 0;
    expect(await refused()).toBe(1);
    // A takeover is not a database fault: the refused flush is not counted as a failed one (that counter pages).
    expect((await metrics.flushFailures.get()).values[0]?.value ?? 0).toBe(0);
    expect(dropped).toEqual([MOVED]);
    expect(pipeline.contractIds).toEqual([KEPT]);
    // MOVED's ticks after the takeover are B's to store: none of A's went in, and the refused ones were dropped (counted).
    expect(await ticksOf(MOVED)).toBe(1);
    expect((await metrics.ticksFenced.get()).values[0]?.value).toBeGreaterThanOrEqual(1);
    // A's lease manager notices on its next cycle (the lost session): MOVED stays stopped, KEPT is locked again.
    await leases.manager.poke();
    expect(leases.manager.holds(MOVED)).toBe(false);
    expect(leases.manager.holds(KEPT)).toBe(true);
    pipeline.onTrades(trades(ROUNDS + 1));
    await eventually(async () => (await ticksOf(KEPT)) === ROUNDS + 2);
    expect(await refused()).toBe(1);
    expect(dropped).toEqual([MOVED]);
    // Closed bars go in the bar lane, after their ticks: waited for, then none more.
    await eventually(
      async () => (await count(`SELECT count(*)::int AS n FROM ohlc_bars WHERE contract_id = $1 AND is_closed`, [KEPT])) >= keptClosedBars,
    );
    await pipeline.stop();
    expect(await count(`SELECT count(*)::int AS n FROM ohlc_bars WHERE contract_id = $1 AND is_closed`, [KEPT])).toBe(keptClosedBars);
    expect(await count(`SELECT count(*)::int AS n FROM ohlc_bars WHERE contract_id = $1`, [MOVED])).toBe(0);
  });
});

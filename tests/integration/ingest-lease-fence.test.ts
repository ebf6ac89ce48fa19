// The window a killed ingester leaves (issue #18, standbys): a flush it had already sent on a pool
// connection commits after a standby took the lease and read the stored tail, so the standby stores
// those ticks again (and counts them in its bars again). Reproduced deterministically: A's flush is
// held open by a table lock this test holds; A's lease session is terminated (what PostgreSQL does
// when A is SIGKILLed); B takes the lease and resumes from the stored tail as a replay's standby does
// (replay-resume.ts); only then is A's flush let go. The lease fence (fence-check.ts, migration 018)
// makes every tick and the bar count exactly once: A's flush commits before B's take, or fails.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { BarAggregator, type ContractBar, parseTimeframe, SessionCalendar, type Trade, UTC_CALENDAR } from '../../core/src/index.ts';
import { createMetricsRegistry, LeaseManager, type Pool } from '../../core/src/node.ts';
import { writeFlush } from '../../ingester/src/bar-store.ts';
import { WHOLE_FEED_UNIT } from '../../ingester/src/contract-leases.ts';
import { IngestFence, isFenceLost } from '../../ingester/src/fence-check.ts';
import { createIngestMetrics } from '../../ingester/src/ingest-metrics.ts';
import { IngestPipeline } from '../../ingester/src/ingest-pipeline.ts';
import { MarketClock } from '../../ingester/src/market-clock.ts';
import type { StoredTail } from '../../ingester/src/providers/stored-tail.ts';
import { readStoredTails, rebuildUnclosedBars } from '../../ingester/src/replay-resume.ts';
import { tickBatchOf } from '../../ingester/src/tick-batch.ts';
import { eventually } from '../support/eventually.ts';
import { quietLogger } from '../support/quiet-logger.ts';
import type { TestDatabase } from '../support/test-database.ts';
import { useFenceHolders } from '../support/use-fence-holders.ts';

const ID = 'FENCE';
const T0 = Date.parse('2026-03-02T14:30:00Z');
const A_POOL = 'fence-test-a-flush';
const calendar = new SessionCalendar(UTC_CALENDAR);
const timeframes = [parseTimeframe('1m')];
/** A's lease cycles never run on their own here: A is "dead" once its session is gone. */
const NEVER_MS = 3_600_000;

let db: TestDatabase;
let poolA: Pool;
let poolB: Pool;
let admin: pg.Client;
const cleanups = useFenceHolders(
  [{ id: ID, provider: 'replay', symbol: ID, name: ID, description: '', tick_size: 0.25, session_calendar: 'utc' }],
  (ground) => ({ db, poolA, poolB, admin } = ground),
  { applicationNameA: A_POOL },
);

/** 20 trades of one minute, a second apart, volume 1 each: the 1m bar's volume counts them. */
const source: Trade[] = Array.from({ length: 20 }, (_, i) => ({
  contractId: ID,
  time: T0 + i * 1_000,
  price: 5000 + (i % 4) * 0.25,
  volume: 1,
  side: 'buy',
}));

function aggregator(): BarAggregator {
  return new BarAggregator({ timeframes, calendarFor: () => calendar, graceMs: 1_000 });
}

/** The forming 1m bar of these trades, as a flush with forming bars writes it. */
function formingBar(trades: readonly Trade[]): ContractBar[] {
  const agg = aggregator();
  for (const t of trades) agg.addTrade(t, t.time);
  return agg.formingBars();
}

function leases(id: string, retryMs: number, acquired: () => Promise<void> = async () => undefined): LeaseManager {
  const manager = new LeaseManager({
    service: 'ingester',
    databaseUrl: db.url,
    units: () => [WHOLE_FEED_UNIT],
    retryMs,
    logger: quietLogger('fence'),
    instanceId: id,
    fenced: true,
    handler: { acquired, released: () => undefined },
  });
  cleanups.push(() => manager.stop());
  return manager;
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  return (await admin.query<{ n: number }>(sql, params)).rows[0]?.n ?? 0;
}

/** The stored tail as a replay resumes from it: ticks before it skipped, at its time `count` of them. */
function afterTail(trades: readonly Trade[], tail: StoredTail | undefined): Trade[] {
  if (!tail) return [...trades];
  let atTail = 0;
  return trades.filter((t) => t.time > tail.time || (t.time === tail.time && ++atTail > tail.count));
}

describe('lease fence: a killed ingester flush in flight while a standby takes over', () => {
  it.each([
    ['ticks alone (the one-statement flush)', false],
    ['ticks and bars (the flush transaction)', true],
  ])('%s: every tick and the bar count exactly once', async (_name, withBars) => {
    await admin.query('TRUNCATE ticks, ohlc_bars');
    const a = leases(`a-${String(withBars)}`, NEVER_MS);
    await a.start();
    expect(a.holds(WHOLE_FEED_UNIT)).toBe(true);
    const fenceA = new IngestFence((u) => a.epochOf(u), WHOLE_FEED_UNIT);

    // A stores the first half, then sends the second half's flush, which the table lock holds open.
    const first = source.slice(0, 10);
    const firstBars = withBars ? formingBar(first) : [];
    await writeFlush(poolA, firstBars, tickBatchOf(first), [], { fence: fenceA.claim(firstBars, tickBatchOf(first)) });
    const lock = new pg.Client({ connectionString: db.url });
    await lock.connect();
    cleanups.push(() => lock.end());
    await lock.query('BEGIN');
    await lock.query('LOCK TABLE ticks IN SHARE MODE');
    const second = source.slice(10);
    const secondBars = withBars ? formingBar(source) : [];
    const inFlight = writeFlush(poolA, secondBars, tickBatchOf(second), [], { fence: fenceA.claim(secondBars, tickBatchOf(second)) }).then(
      () => 'committed',
      (err: unknown) => (isFenceLost(err) ? 'fenced' : `failed: ${(err as Error).message}`),
    );
    await eventually(
      async () =>
        (await count(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`, [
          A_POOL,
        ])) === 1,
    );

    // A "dies": PostgreSQL ends its lease session (its advisory lock goes); its flush's connection lives on.
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [
      `barstream-lease:ingester:a-${String(withBars)}`,
    ]);
    await eventually(
      async () =>
        (await count(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE 'barstream-lease:ingester:a-%'`)) === 0,
    );

    // B takes the feed and reads what is stored, as a replay's standby does on taking it over.
    let resume: { tail: StoredTail | undefined; forming: ContractBar[] } | undefined;
    const b = leases(`b-${String(withBars)}`, 100, async () => {
      const tails = await readStoredTails(poolB, [ID]);
      const forming = await rebuildUnclosedBars({ pool: poolB, timeframes, calendarFor: () => calendar, graceMs: 1_000 }, [ID]);
      resume = { tail: tails.get(ID), forming };
    });
    const bStarted = b.start();
    // Either B has read the tail (no fence: A's flush is still to commit), or B's take waits for A's flush.
    await eventually(
      async () =>
        resume !== undefined ||
        (await count(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`, [
          `barstream-lease:ingester:b-${String(withBars)}`,
        ])) === 1,
    );
    await lock.query('COMMIT');
    const outcome = await inFlight;
    await bStarted;
    await eventually(() => b.holds(WHOLE_FEED_UNIT) && resume !== undefined);
    expect(['committed', 'fenced']).toContain(outcome);

    // B goes on from the tail: its bars from the rebuilt forming ones plus what it streams.
    const rest = afterTail(source, resume?.tail);
    const agg = aggregator();
    for (const bar of resume?.forming ?? []) agg.seed(bar);
    for (const t of rest) agg.addTrade(t, t.time);
    const fenceB = new IngestFence((u) => b.epochOf(u), WHOLE_FEED_UNIT);
    const restBars = agg.drain(true);
    await writeFlush(poolB, restBars, tickBatchOf(rest), [], { fence: fenceB.claim(restBars, tickBatchOf(rest)) });

    expect(await count(`SELECT count(*)::int AS n FROM ticks WHERE contract_id = $1`, [ID])).toBe(source.length);
    expect(await count(`SELECT count(DISTINCT "timestamp")::int AS n FROM ticks WHERE contract_id = $1`, [ID])).toBe(source.length);
    expect(await count(`SELECT volume::int AS n FROM ohlc_bars WHERE contract_id = $1 AND timeframe_value = 1`, [ID])).toBe(source.length);
  });
});

describe('lease fence: the flusher of an instance that lost a lease', () => {
  it("drops the lost contract's ticks (counted) at the first refusal instead of retrying them, and keeps storing the rest", async () => {
    await admin.query('TRUNCATE ticks, ohlc_bars');
    // This instance took both contracts at epoch 1 in its own view; another instance has since taken LOST.
    await admin.query(
      `INSERT INTO lease_epochs (service, unit, epoch) VALUES ('ingester', 'KEPT', 1), ('ingester', 'LOST', 2)
       ON CONFLICT (service, unit) DO UPDATE SET epoch = EXCLUDED.epoch`,
    );
    const epochs = new Map([
      ['KEPT', 1],
      ['LOST', 1],
    ]);
    const metrics = createIngestMetrics(createMetricsRegistry('fence'));
    const fence = new IngestFence((u) => epochs.get(u), undefined);
    const lost: string[][] = [];
    fence.onLost((units) => void lost.push([...units]));
    const pipeline = new IngestPipeline({
      pool: poolB,
      aggregator: new BarAggregator({ timeframes, calendarFor: () => calendar, graceMs: 1_000 }),
      clock: new MarketClock({ rate: 0 }),
      logger: quietLogger('fence'),
      metrics,
      contracts: new Set(['KEPT', 'LOST']),
      flushIntervalMs: 60_000,
      maxClockSkewMs: 86_400_000,
      tickFlushMs: NEVER_MS,
      fence,
    });
    cleanups.push(() => pipeline.stop());
    const trade = (contractId: string, i: number): Trade => ({ contractId, time: T0 + i, price: 100, volume: 1, side: 'sell' });
    const refusals = async () => (await metrics.fenceRefused.get()).values.find((v) => v.labels.write === 'flush')?.value ?? 0;
    pipeline.onTrades([trade('KEPT', 0), trade('LOST', 1), trade('KEPT', 2)]);
    await pipeline.flush();
    // Refused whole (LOST's epoch moved), though the lease manager has not noticed yet: the refusal names
    // LOST (migration 020), which counts as lost at once; its tick goes (the taker's), KEPT's wait.
    expect(await count(`SELECT count(*)::int AS n FROM ticks`)).toBe(0);
    expect(await refusals()).toBe(1);
    expect(lost).toEqual([['LOST']]);
    expect(pipeline.bufferedTicks).toBe(2);
    expect((await metrics.ticksFenced.get()).values[0]?.value).toBe(1);
    // LOST's trades still arriving (its feed not stopped yet) are left out, never sent to be refused again.
    pipeline.onTrades([trade('LOST', 3), trade('KEPT', 4)]);
    await pipeline.flush();
    expect(await refusals()).toBe(1);
    expect((await metrics.ticksFenced.get()).values[0]?.value).toBe(2);
    expect(await count(`SELECT count(*)::int AS n FROM ticks WHERE contract_id = 'KEPT'`)).toBe(3);
    expect(await count(`SELECT count(*)::int AS n FROM ticks WHERE contract_id = 'LOST'`)).toBe(0);
    expect(pipeline.bufferedTicks).toBe(0);
  });
});

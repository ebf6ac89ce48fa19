// The lease fence on backfill and connect-minute repair writes (fence-check.ts, history-store.ts): an
// ingester that lost a contract's lease (its lease session ended, as when PostgreSQL drops a killed or cut
// off instance) while its backfill or repair was under way writes nothing after the taker took over.
// Deterministic: A's vendor history call is held open (or its repair made due) by the test, after B's
// take. The two vendors' bars differ in volume, so the rows stored show whose write went in.
import pg from 'pg';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { BarAggregator, type ContractSettings, type OhlcBar, parseTimeframe, SessionCalendar, UTC_CALENDAR } from '../../core/src/index.ts';
import { createMetricsRegistry, LeaseManager, type Pool } from '../../core/src/node.ts';
import { IngestFence } from '../../ingester/src/fence-check.ts';
import { HistorySync } from '../../ingester/src/history-sync.ts';
import { createIngestMetrics } from '../../ingester/src/ingest-metrics.ts';
import type { MarketDataProvider } from '../../ingester/src/providers/provider.ts';
import { eventually } from '../support/eventually.ts';
import { quietLogger } from '../support/quiet-logger.ts';
import type { TestDatabase } from '../support/test-database.ts';
import { useFenceHolders } from '../support/use-fence-holders.ts';

const ID = 'HISTFENCE';
const ONE_MINUTE = parseTimeframe('1m');
const MINUTE = 60_000;
/** The connect: 30 s into a minute; history is fetched up to that minute's start. */
const AT = Date.parse('2026-03-02T14:30:30Z');
const CONNECT_MINUTE = AT - 30_000;
const calendar = new SessionCalendar(UTC_CALENDAR);
/** A's lease cycles never run on their own: it has not noticed it lost its lease when it writes. */
const NEVER_MS = 3_600_000;
const contract: ContractSettings = {
  id: ID,
  provider: 'simulated',
  symbol: ID,
  name: ID,
  description: '',
  tick_size: 0.25,
  session_calendar: 'utc',
};

let db: TestDatabase;
let poolA: Pool;
let poolB: Pool;
let admin: pg.Client;
const cleanups = useFenceHolders([contract], (ground) => ({ db, poolA, poolB, admin } = ground));

/** A vendor whose 1m bars all have `volume`; with `hold`, each history call waits for release(). */
class VendorHistory implements MarketDataProvider {
  readonly name = 'vendor';
  readonly historyTimeframe = ONE_MINUTE;
  fetches = 0;
  private held: (() => void) | undefined;
  constructor(
    private readonly volume: number,
    private hold = false,
  ) {}
  start(): Promise<void> {
    return Promise.resolve();
  }
  stop(): Promise<void> {
    return Promise.resolve();
  }
  async fetchBars(_id: string, _tf: unknown, from: number, to: number): Promise<OhlcBar[]> {
    this.fetches++;
    if (this.hold) await new Promise<void>((resolve) => (this.held = resolve));
    const bars: OhlcBar[] = [];
    for (let t = Math.ceil(from / MINUTE) * MINUTE; t < to; t += MINUTE) {
      bars.push({ time: t, open: 100, high: 101, low: 99, close: 100.5, volume: this.volume });
    }
    return bars;
  }
  get waiting(): boolean {
    return this.held !== undefined;
  }
  release(): void {
    this.hold = false;
    this.held?.();
    this.held = undefined;
  }
}

/** A logger keeping its warnings' messages. */
function recordingLogger(): { logger: ReturnType<typeof quietLogger>; warnings: string[] } {
  const warnings: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push((JSON.parse(line) as { msg: string }).msg) });
  return { logger, warnings };
}

function leases(id: string, retryMs: number): LeaseManager {
  const manager = new LeaseManager({
    service: 'ingester',
    databaseUrl: db.url,
    units: () => [ID],
    retryMs,
    logger: quietLogger('fence'),
    instanceId: id,
    fenced: true,
    handler: { acquired: () => undefined, released: () => undefined },
  });
  cleanups.push(() => manager.stop());
  return manager;
}

function historySync(pool: Pool, provider: MarketDataProvider, fence: IngestFence, now: () => number, logger = quietLogger('history')) {
  const metrics = createIngestMetrics(createMetricsRegistry('history-fence'));
  const sync = new HistorySync({
    pool,
    provider,
    contracts: [contract],
    calendars: new Map([[ID, calendar]]),
    timeframes: [ONE_MINUTE],
    aggregator: new BarAggregator({ timeframes: [ONE_MINUTE], calendarFor: () => calendar, graceMs: 0 }),
    lookbackMs: 10 * MINUTE,
    graceMs: 0,
    now,
    logger,
    metrics,
    fence,
  });
  cleanups.push(() => sync.stop());
  const refused = async (write: string) => (await metrics.fenceRefused.get()).values.find((v) => v.labels.write === write)?.value ?? 0;
  return { sync, refused };
}

/** A "dies" for PostgreSQL: its lease session ends (its lock goes); its pool connections live on. */
async function endLeaseSession(instance: string): Promise<void> {
  const name = `barstream-lease:ingester:${instance}`;
  await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [name]);
  await eventually(async () => (await admin.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = $1`, [name])).rowCount === 0);
}

/** B takes the contract over (bumping its epoch) and syncs its history as on a take. */
async function takeOver(instance: string, at: number): Promise<LeaseManager> {
  const b = leases(instance, 100);
  await b.start();
  await eventually(() => b.holds(ID));
  const { sync } = historySync(poolB, new VendorHistory(5), new IngestFence((u) => b.epochOf(u), undefined), () => at);
  await sync.onConnected(at);
  return b;
}

async function storedVolumes(): Promise<number[]> {
  const { rows } = await admin.query<{ volume: number }>(
    `SELECT volume FROM ohlc_bars WHERE contract_id = $1 AND timeframe_value = 1 ORDER BY "timestamp"`,
    [ID],
  );
  return rows.map((r) => r.volume);
}

describe('lease fence: backfill and repair writes of an ingester that lost the lease', () => {
  it("a backfill under way at the takeover is refused (BSF01) once, counted, logged once, not retried; the taker's rows stay", async () => {
    await admin.query('TRUNCATE ohlc_bars');
    const a = leases('hist-a1', NEVER_MS);
    await a.start();
    expect(a.holds(ID)).toBe(true);
    const fenceA = new IngestFence((u) => a.epochOf(u), undefined);
    const lost: string[][] = [];
    fenceA.onLost((units) => void lost.push([...units]));
    const vendorA = new VendorHistory(7, true);
    const { logger, warnings } = recordingLogger();
    const { sync, refused } = historySync(poolA, vendorA, fenceA, () => AT, logger);

    // A's backfill starts while A holds the lease (its claim is taken now), and waits for the vendor.
    const backfilled = sync.onConnected(AT);
    await eventually(() => vendorA.waiting);
    await endLeaseSession('hist-a1');
    await takeOver('hist-b1', AT);
    const taken = await storedVolumes();
    expect(taken.length).toBeGreaterThan(5);
    expect(new Set(taken)).toEqual(new Set([5]));

    // A's vendor answers: its write goes to the database and is refused there.
    vendorA.release();
    // Resolves: the backfill gave up (a retry loop would keep this pending until stop()).
    await backfilled;
    expect(await refused('backfill')).toBe(1);
    expect(vendorA.fetches).toBe(1);
    expect(warnings.filter((w) => w.includes('refused by the lease fence'))).toHaveLength(1);
    expect(warnings.filter((w) => w.includes('retrying'))).toEqual([]);
    expect(lost).toEqual([[ID]]);
    expect(fenceA.claimContract(ID)).toBeUndefined();
    expect(await storedVolumes()).toEqual(taken);
  });

  it("a connect-minute repair due after the takeover is refused once and not retried; the taker's bar stays", async () => {
    await admin.query('TRUNCATE ohlc_bars');
    const a = leases('hist-a2', NEVER_MS);
    await a.start();
    const fenceA = new IngestFence((u) => a.epochOf(u), undefined);
    const vendorA = new VendorHistory(7);
    const { logger, warnings } = recordingLogger();
    let nowA = AT;
    const { sync, refused } = historySync(poolA, vendorA, fenceA, () => nowA, logger);
    // A's backfill goes in while it holds the lease; its connect-minute repair waits for the minute to end.
    await sync.onConnected(AT);
    expect(new Set(await storedVolumes())).toEqual(new Set([7]));

    await endLeaseSession('hist-a2');
    // B connects two minutes later: its backfill rewrites the recent bars, the connect minute's included.
    await takeOver('hist-b2', AT + 2 * MINUTE);
    const connectBar = async () =>
      (
        await admin.query<{ volume: number }>(
          `SELECT volume FROM ohlc_bars WHERE contract_id = $1 AND timeframe_value = 1 AND "timestamp" = to_timestamp($2::float8 / 1000)`,
          [ID, CONNECT_MINUTE],
        )
      ).rows[0]?.volume;
    expect(await connectBar()).toBe(5);

    // A's stream clock passes the connect minute: its repair runs, and its write is refused.
    nowA = AT + 5 * MINUTE;
    await eventually(async () => (await refused('repair')) === 1);
    await sync.stop();
    expect(await refused('repair')).toBe(1);
    expect(warnings.filter((w) => w.includes('refused by the lease fence'))).toHaveLength(1);
    expect(warnings.filter((w) => w.includes('retrying'))).toEqual([]);
    expect(await connectBar()).toBe(5);
  });
});

// The web's cache of recent bars on a real PostgreSQL: filled through Prisma (a binary read, as the
// web's is), kept current by ohlc_update, dropped on bars_imported and after a lost LISTEN
// connection, bounded.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationListener } from '../../core/src/node/notification-listener.ts';
import { notifyAll } from '../../core/src/node/notify.ts';
import { createPrismaClient, type PrismaClient } from '../../prisma/prisma-client.ts';
import { RecentBarsCache } from '../../web/lib/server/recent-bars-cache.ts';
import { readNewestBarsBinary } from '../../web/lib/server/binary-stored-bars.ts';
import { readNewestBars, type BarRange } from '../../web/lib/server/stored-bars.ts';
import { eventually } from '../support/eventually.ts';
import { quietLogger } from '../support/quiet-logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

const MINUTE = 60_000;
const T0 = Date.UTC(2025, 5, 2, 14, 0);
const SEEDED = 100;
const FILL = 20;
const oneMinute = { unit: 2, value: 1 } as const;

let database: TestDatabase;
let prisma: PrismaClient;
let client: pg.Client;
let cache: RecentBarsCache;
let listener: NotificationListener;
const listening: boolean[] = [];
let reads = 0;
/** Of those, fills (the binary read of a series' newest bars, as the web's cache does). */
let fills = 0;

const range = (r: Partial<BarRange> = {}): BarRange => ({
  contractId: 'C.A',
  timeframe: oneMinute,
  fromMs: undefined,
  toMs: undefined,
  limit: 10,
  ...r,
});

/** Writes (or rewrites) one 1m bar of C.A, and with `notify` its ohlc_update in the same transaction. */
async function writeBar(time: number, close: number, notify: boolean): Promise<void> {
  await client.query('BEGIN');
  await client.query(
    `INSERT INTO ohlc_bars (contract_id, "timestamp", open, high, low, close, volume, timeframe_unit, timeframe_value, timeframe, is_closed)
    VALUES ('C.A', to_timestamp($1::float8 / 1000), 1000, 100000, 1, $2, 5, 2, 1, '1m', false)
    ON CONFLICT (contract_id, timeframe_unit, timeframe_value, "timestamp") DO UPDATE SET close = EXCLUDED.close`,
    [time, close],
  );
  if (notify) {
    await notifyAll(client, 'ohlcUpdate', [
      JSON.stringify({
        type: 'ohlc',
        contract_id: 'C.A',
        timestamp: new Date(time).toISOString(),
        open: 1000,
        high: 100000,
        low: 1,
        close,
        volume: 5,
        timeframe_unit: 2,
        timeframe_value: 1,
        is_closed: false,
      }),
    ]);
  }
  await client.query('COMMIT');
}

/** Seeded bar g closes at 1000 + g. */
const seeded = (...gs: number[]) => gs.map((g) => 1000 + g);

/** Waits until the cache has counted `n` notifications in all (the listener delivered them). */
const notificationsReach = (n: number) => eventually(async () => cache.stats.notifications >= n);

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = createPrismaClient(database.url, { max: 2 });
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query(`INSERT INTO contracts (id, provider, symbol) VALUES ('C.A', 'simulated', 'A'), ('C.B', 'simulated', 'B')`);
  for (const contract of ['C.A', 'C.B']) {
    await client.query(
      `INSERT INTO ohlc_bars (contract_id, "timestamp", open, high, low, close, volume, timeframe_unit, timeframe_value, timeframe, is_closed)
      SELECT $1, to_timestamp(($2::float8 + g * $3) / 1000), 1000, 100000, 1, 1000 + g, 5, 2, 1, '1m', true FROM generate_series(0, $4::int - 1) g`,
      [contract, T0, MINUTE, SEEDED],
    );
  }
  cache = new RecentBarsCache({
    read: (r) => {
      reads++;
      return readNewestBars(prisma, r);
    },
    fillRead: (r) => {
      reads++;
      fills++;
      return readNewestBarsBinary(prisma, r);
    },
    maxSeries: 1,
    maxBarsPerSeries: 1_000,
    fillBars: FILL,
  });
  listener = new NotificationListener({
    connectionString: database.url,
    channels: ['ohlcUpdate', 'barsImported'],
    logger: quietLogger('bar-cache-test'),
    onReconnected: () => {
      listening.push(true);
      cache.setListening(true);
    },
    onDisconnected: () => {
      listening.push(false);
      cache.setListening(false);
    },
  });
  listener.on('ohlcUpdate', (m) => cache.noteBar(m.contract_id, m.timeframe_unit, m.timeframe_value, Date.parse(m.timestamp)));
  listener.on('barsImported', (m) =>
    cache.noteImport(m.contract_id, m.timeframe_unit, m.timeframe_value, Date.parse(m.from), Date.parse(m.to)),
  );
  await listener.start();
  cache.setListening(true);
});

afterAll(async () => {
  await listener?.stop();
  await client?.end();
  await prisma?.$disconnect();
  await database?.drop();
});

const closes = (bars: readonly { close: number }[]) => bars.map((b) => b.close);

describe('RecentBarsCache', () => {
  it('answers the newest bars from one fill, then from memory', async () => {
    const first = await cache.newestBars(range({ limit: 5 }));
    expect(closes(first)).toEqual(seeded(95, 96, 97, 98, 99));
    expect(fills).toBe(1);
    const readsAfterFill = reads;
    expect(closes(await cache.newestBars(range({ limit: 3, fromMs: T0 + 90 * MINUTE, toMs: T0 + 97 * MINUTE })))).toEqual(
      seeded(95, 96, 97),
    );
    expect(reads).toBe(readsAfterFill);
  });

  it('has a bar written and notified after a cached read in the next answer, and a rewritten one too', async () => {
    await cache.newestBars(range());
    const before = cache.stats.notifications;
    await writeBar(T0 + SEEDED * MINUTE, 3000, true);
    await writeBar(T0 + (SEEDED - 1) * MINUTE, 2999, true);
    await notificationsReach(before + 2);
    expect(closes(await cache.newestBars(range({ limit: 3 })))).toEqual([...seeded(98), 2999, 3000]);
  });

  it('reads a range that was never cached from the database', async () => {
    await cache.newestBars(range());
    // Outside the cached suffix (the newest FILL bars): written without a notification, so only
    // a database read can see it.
    await writeBar(T0 + 10 * MINUTE, 4242, false);
    const readsBefore = reads;
    expect(closes(await cache.newestBars(range({ limit: 2, toMs: T0 + 11 * MINUTE })))).toEqual([4242, ...seeded(11)]);
    expect(closes(await cache.newestBars(range({ limit: 2, fromMs: T0 + 9 * MINUTE, toMs: T0 + 10 * MINUTE })))).toEqual([
      ...seeded(9),
      4242,
    ]);
    expect(reads).toBe(readsBefore + 2);
  });

  it('drops a series when bars were imported into its cached range', async () => {
    await cache.newestBars(range());
    const t = T0 + 95 * MINUTE;
    await writeBar(t, 777, false);
    const before = cache.stats.notifications;
    await notifyAll(client, 'barsImported', [
      JSON.stringify({
        type: 'bars_imported',
        contract_id: 'C.A',
        timeframe_unit: 2,
        timeframe_value: 1,
        from: new Date(t).toISOString(),
        to: new Date(t).toISOString(),
        count: 1,
      }),
    ]);
    await notificationsReach(before + 1);
    expect((await cache.newestBars(range({ fromMs: t, toMs: t }))).map((b) => b.close)).toEqual([777]);
  });

  it('drops everything after the LISTEN connection was lost, and reads from the database while it is down', async () => {
    await cache.newestBars(range());
    const t = T0 + 96 * MINUTE;
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'barstream-listener' AND datname = current_database()`,
      );
    } finally {
      await admin.end();
    }
    await eventually(async () => listening.includes(false));
    await writeBar(t, 555, false); // missed by LISTEN: only a re-read can see it
    expect(closes(await cache.newestBars(range({ fromMs: t, toMs: t })))).toEqual([555]);
    await eventually(async () => listening.at(-1) === true);
    await writeBar(t, 556, false);
    expect(closes(await cache.newestBars(range({ fromMs: t, toMs: t })))).toEqual([556]);
  });

  it('holds at most maxSeries series', async () => {
    await cache.newestBars(range());
    await cache.newestBars(range({ contractId: 'C.B' }));
    expect(cache.held().series).toBe(1);
    const readsBefore = reads;
    await cache.newestBars(range({ contractId: 'C.B' }));
    expect(reads).toBe(readsBefore);
  });

  it('heldNewestBars holds a longer newest page, and leaves what it would read uncached to the caller', async () => {
    const newest = (await cache.newestBars(range({ limit: 1 })))[0];
    const fillsBefore = fills;
    const held = await cache.heldNewestBars(range({ limit: 50 }));
    expect(held).toHaveLength(50);
    expect(fills).toBe(fillsBefore + 1);
    expect(held?.at(-1)).toEqual(newest);
    const readsBefore = reads;
    expect(await cache.heldNewestBars(range({ limit: 50 }))).toEqual(held);
    // An older page, and more bars than a series may hold (the series has more): no read, no answer.
    expect(await cache.heldNewestBars(range({ limit: 5, toMs: T0 + 11 * MINUTE }))).toBeUndefined();
    expect(await cache.heldNewestBars(range({ limit: 1_001 }))).toBeUndefined();
    expect(reads).toBe(readsBefore);
  });
});

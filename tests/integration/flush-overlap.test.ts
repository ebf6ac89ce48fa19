// Overlapping flushes: the newer one COPYs its ticks while the older one is still in its transaction
// (once the older one's ticks are in: two COPYs never run at once), but commits (and NOTIFYs) only after it; when the older one fails, the newer rolls back and both
// are retried in order: nothing dropped, nothing stored or announced twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoWithMicros, tickBatchesOf, type Trade } from '../../core/src/index.ts';
import { createPool, type Pool } from '../../core/src/node.ts';
import { FlushOrderError, writeFlush } from '../../ingester/src/bar-store.ts';
import { syncContracts } from '../../ingester/src/contract-sync.ts';
import { ONE_STATEMENT_MAX_TICKS } from '../../ingester/src/tick-flush-statement.ts';
import { ChannelListener } from '../support/channel-listener.ts';
import { eventually } from '../support/eventually.ts';
import { minutePipeline } from '../support/minute-pipeline.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

const ID = 'OVERLAP';
const T0 = Date.parse('2026-03-02T14:30:00Z');
/** More than the one-statement path takes: these flushes COPY in a transaction. */
const BATCH = ONE_STATEMENT_MAX_TICKS + 100;

let db: TestDatabase;
let pool: Pool;
beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPool(db.url, { max: 4 });
  await syncContracts(pool, [
    { id: ID, provider: 'simulated', symbol: ID, name: ID, description: '', tick_size: 0.25, session_calendar: 'utc' },
  ]);
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

const trades = (from: number, count: number, at = (i: number) => T0 + i): Trade[] =>
  Array.from({ length: count }, (_, k) => ({
    contractId: ID,
    time: at(from + k),
    price: 5000 + ((from + k) % 40) * 0.25,
    volume: 1,
    side: 'buy',
    tradeId: String(from + k),
  }));

const storedTicks = async (): Promise<number> => (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM ticks')).rows[0]?.n ?? -1;

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve: (v: T) => void = () => undefined;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Tick times in the order their NOTIFYs carried them. */
const notifiedIds = (messages: Parameters<typeof tickBatchesOf>[0][]): string[] =>
  messages.flatMap((m) => tickBatchesOf(m).flatMap((b) => b.ticks.map((t) => t.timestamp)));
const timesOf = (ts: readonly Trade[]): string[] => ts.map((t) => isoWithMicros(t.time));

describe('writeFlush after another flush', () => {
  it('COPYs at once but commits and notifies only after the flush before it committed', async () => {
    await pool.query('TRUNCATE ticks');
    const listener = await ChannelListener.listen(db.url, 'tickData');
    const before = deferred<boolean>();
    const copied = deferred<undefined>();
    const second = writeFlush(pool, [], trades(BATCH, BATCH), [], { after: before.promise, onWriting: () => copied.resolve(undefined) });
    await copied.promise;
    // Its ticks are in, uncommitted; the first flush goes through beside it.
    await writeFlush(pool, [], trades(0, BATCH));
    expect(await storedTicks()).toBe(BATCH);
    before.resolve(true);
    expect((await second).ticks).toBe(BATCH);
    expect(await storedTicks()).toBe(2 * BATCH);
    await eventually(() => notifiedIds(listener.messages.slice()).length >= 2 * BATCH);
    const ids = notifiedIds(listener.clear());
    await listener.end();
    expect(ids).toEqual(timesOf(trades(0, 2 * BATCH)));
  });

  it('COPYs only on its turn (the flush before has its ticks in), its data already encoded, and says when its ticks are in', async () => {
    await pool.query('TRUNCATE ticks');
    const turn = deferred<undefined>();
    const events: string[] = [];
    const flush = writeFlush(pool, [], trades(0, BATCH), [], {
      turn: turn.promise,
      onWriting: () => events.push('writing'),
      onRowsIn: () => events.push('rows in'),
    });
    // Its transaction is open, waiting for its turn: no COPY has started.
    const copying = async (): Promise<number> =>
      (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'COPY ticks%'")).rows[0]?.n ?? -1;
    await eventually(
      async () =>
        (
          await pool.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'idle in transaction' AND datname = current_database()",
          )
        ).rows[0]?.n === 1,
    );
    expect(await copying()).toBe(0);
    expect(events).toEqual([]);
    turn.resolve(undefined);
    expect((await flush).ticks).toBe(BATCH);
    expect(events).toEqual(['writing', 'rows in']);
    expect(await storedTicks()).toBe(BATCH);
  });

  it('rolls back, storing and announcing nothing, when the flush before it failed', async () => {
    await pool.query('TRUNCATE ticks');
    const listener = await ChannelListener.listen(db.url, 'tickData');
    const before = deferred<boolean>();
    const second = writeFlush(pool, [], trades(0, BATCH), [], { after: before.promise });
    before.resolve(false);
    await expect(second).rejects.toBeInstanceOf(FlushOrderError);
    expect(await storedTicks()).toBe(0);
    // The next NOTIFY to arrive is the marker's: the rolled-back flush sent none.
    await writeFlush(pool, [], trades(9_000, 1));
    await eventually(() => listener.messages.length > 0);
    const ids = notifiedIds(listener.clear());
    await listener.end();
    expect(ids).toEqual(timesOf(trades(9_000, 1)));
  });
});

describe('the pipeline with two flushes under way', () => {
  it('retries both in order when the older one fails after the newer one COPYed: every tick stored and announced once', async () => {
    await pool.query('TRUNCATE ticks, ohlc_bars');
    const listener = await ChannelListener.listen(db.url, 'tickData');
    const { pipeline, metrics } = minutePipeline({ pool, contractId: ID, graceMs: 0, flushIntervalMs: 1_000_000, maxClockSkewMs: 600_000 });
    // The COMMIT of a flush holding trade 0 waits on this advisory lock (a deferred trigger on its row):
    // the first flush COPYs its ticks, then blocks in its COMMIT.
    await pool.query(`CREATE FUNCTION wait_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_advisory_xact_lock(4242); RETURN NULL; END $$;
      CREATE CONSTRAINT TRIGGER wait_at_commit AFTER INSERT ON ticks DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW WHEN (NEW.trade_id = '0') EXECUTE FUNCTION wait_at_commit()`);
    const blocker = await pool.connect();
    await blocker.query('SELECT pg_advisory_lock(4242)');
    try {
      // The first batch's last trade opens the next minute, so that its minute's bar closes.
      const minute = (i: number): number => (i < BATCH - 1 ? T0 + i : T0 + 60_000 + i);
      const first = trades(0, BATCH, minute);
      const second = trades(BATCH, BATCH, minute);
      pipeline.onTrades(first);
      const olderPid = async (): Promise<number | undefined> =>
        (
          await pool.query<{ pid: number }>(
            `SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = 'advisory' AND pid <> $1`,
            [(await blocker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid],
          )
        ).rows[0]?.pid;
      await eventually(async () => (await olderPid()) !== undefined);
      // The newer flush COPYs its ticks and waits, in its open transaction, for the older one.
      pipeline.onTrades(second);
      await eventually(
        async () =>
          (
            await pool.query(
              `SELECT 1 FROM pg_stat_activity WHERE state = 'idle in transaction' AND query LIKE 'COPY ticks%' AND pid <> pg_backend_pid()`,
            )
          ).rowCount === 1,
      );
      expect(await storedTicks()).toBe(0);
      await pool.query('SELECT pg_terminate_backend($1)', [await olderPid()]);
      await eventually(async () => (await metrics.flushFailures.get()).values[0]?.value === 2);
      expect(await storedTicks()).toBe(0);
      // Nor the closed bar: it waits for the ticks it was built from.
      expect((await pool.query('SELECT 1 FROM ohlc_bars')).rowCount).toBe(0);
      await blocker.query('SELECT pg_advisory_unlock(4242)');
      await pipeline.stop();
    } finally {
      blocker.release();
      await pool.query('DROP TRIGGER wait_at_commit ON ticks; DROP FUNCTION wait_at_commit()');
    }
    const { rows } = await pool.query<{ trade_id: string }>('SELECT trade_id FROM ticks ORDER BY "timestamp"');
    const all = trades(0, 2 * BATCH, (i) => (i < BATCH - 1 ? T0 + i : T0 + 60_000 + i));
    expect(rows.map((r) => r.trade_id)).toEqual(all.map((t) => t.tradeId));
    await eventually(() => notifiedIds(listener.messages.slice()).length >= all.length);
    const ids = notifiedIds(listener.clear());
    await listener.end();
    expect(ids).toEqual(timesOf(all));
    const bars = await pool.query<{ volume: number }>(`SELECT volume FROM ohlc_bars WHERE contract_id = $1 ORDER BY "timestamp"`, [ID]);
    expect(bars.rows.map((b) => b.volume)).toEqual([BATCH - 1, BATCH + 1]);
  });
});

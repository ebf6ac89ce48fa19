// The test (#18, standbys): two ingesters on one replay, SIGKILL the active one mid-file → the
// standby takes the feed over and resumes after the stored ticks: bars equal an uninterrupted replay's,
// and the ticks are the file's, none missing or stored twice (ties in time included).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ServiceProcess } from '../chaos/service-process.ts';
import { eventually } from '../support/eventually.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const CONTRACT = 'RPL.STANDBY';
const RETRY_MS = 200;
/** Stream minutes in the file: at REPLAY_SPEED the active ingester plays it for three minutes of wall
 * time. The kill comes once the standby is up and two minutes are closed (6 s of stream at this speed
 * after the first tick), so it lands mid-file unless starting the standby takes ~3 minutes; the test
 * checks that it did. (20 minutes gave the standby's start under load a margin of only ~54 s.) */
const MINUTES = 60;
const REPLAY_SPEED = 20;
/** The standby plays what is left after the takeover faster: how fast it plays is not what is tested
 * (where it resumes is), and at REPLAY_SPEED the rest of the file would take most of three minutes. */
const STANDBY_SPEED = 600;
/** Forming-bar flush intervals. The shortest allowed: the standby's first forming flush tends to come
 * before its first resumed trade (the clock must already stand at the stored tail, else that flush
 * closes the bars early). A long one: at the kill the stored forming rows lag the stored ticks, so
 * the bars must be rebuilt from the ticks. */
const FLUSH_INTERVALS_MS = [10, 2_000];
/** Long enough for service starts through tsx and a paced replay on a loaded machine; conditions end it early. */
const WAIT_MS = 180_000;

const dbs: TestDatabase[] = [];
let dir: string;
const processes: ServiceProcess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'barstream-standby-replay-'));
});
afterEach(async () => {
  for (const p of processes.splice(0)) await p.stop();
});
afterAll(async () => {
  for (const db of dbs) await db.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** A tick file: two trades a second on a random walk, every seventh second a third at the same
 * millisecond as the one before (ties the resume must count, not skip). */
function tickFile(): { path: string; ticks: number } {
  const start = Date.UTC(2025, 0, 6, 14, 0, 0);
  const lines = ['contract_id,timestamp,price,volume,side'];
  let price = 5_000;
  let seed = 7;
  const next = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  for (let s = 0; s < MINUTES * 60; s++) {
    for (const ms of s % 7 === 0 ? [0, 500, 500] : [0, 500]) {
      price = Math.max(1, price + Math.round((next() - 0.5) * 8) * 0.25);
      lines.push(
        `${CONTRACT},${new Date(start + s * 1_000 + ms).toISOString()},${price},${1 + Math.floor(next() * 5)},${next() < 0.5 ? 'buy' : 'sell'}`,
      );
    }
  }
  const path = join(dir, 'ticks.csv');
  writeFileSync(path, lines.join('\n'));
  return { path, ticks: lines.length - 1 };
}

/** `speed` undefined: as fast as possible (REPLAY_SPEED=Infinity: JSON has no Infinity). */
function configFor(file: string, speed: number | undefined, flushIntervalMs: number, name: string): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(
    path,
    JSON.stringify({
      contracts: [{ id: CONTRACT, provider: 'replay', symbol: 'RPL', tick_size: 0.25, session_calendar: 'utc' }],
      ingester: {
        provider: 'replay',
        contracts: [CONTRACT],
        timeframes: ['1m', '5m'],
        flush_interval_ms: flushIntervalMs,
        close_grace_ms: 1_000,
      },
      providers: { replay: { file, speed } },
      leases: { retry_ms: RETRY_MS },
      logging: { level: 'warn' },
    }),
  );
  return path;
}

function ingester(config: string, db: TestDatabase, extraEnv: NodeJS.ProcessEnv = {}): ServiceProcess {
  const env = { ...process.env, BARSTREAM_CONFIG: config, DATABASE_URL: db.url, INGESTER_METRICS_PORT: '0', ...extraEnv };
  const p = new ServiceProcess('ingester', env, ROOT);
  processes.push(p);
  p.start();
  return p;
}

/** Waits for a condition; on a timeout the error carries the ingesters' last output. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const crashed = () => processes.some((p) => p.crashes > 0);
  // A crashed ingester fails the test at once, with its output.
  const met = await eventually(async () => crashed() || (await check()), WAIT_MS).then(
    () => !crashed(),
    () => false,
  );
  if (met) return;
  const logs = processes.map((p, i) => `--- ingester ${i}:\n${p.log.slice(-20).join('\n')}`).join('\n');
  throw new Error(`${crashed() ? 'an ingester crashed' : 'not met in time'}: ${what}\n${logs}`);
}

const count = async (pool: pg.Pool, sql: string): Promise<number> => (await pool.query<{ n: number }>(sql)).rows[0]?.n ?? 0;
const tickCount = (pool: pg.Pool) => count(pool, `SELECT count(*)::int AS n FROM ticks`);
const leaseSessions = (pool: pg.Pool) =>
  count(pool, `SELECT count(*)::int AS n FROM pg_stat_activity WHERE starts_with(application_name, 'barstream-lease:ingester')`);

/** Every bar and every tick, in one comparable form. */
async function stored(pool: pg.Pool): Promise<{ bars: string[]; ticks: string[] }> {
  const bars = await pool.query<{ r: string }>(
    `SELECT concat_ws(' ', timeframe_unit, timeframe_value, to_char("timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI'), open, high, low, close, volume, is_closed) AS r
       FROM ohlc_bars ORDER BY timeframe_unit, timeframe_value, "timestamp"`,
  );
  const ticks = await pool.query<{ r: string }>(
    `SELECT concat_ws(' ', (extract(epoch FROM "timestamp") * 1000)::bigint, price, volume, side) AS r FROM ticks ORDER BY 1`,
  );
  return { bars: bars.rows.map((b) => b.r), ticks: ticks.rows.map((t) => t.r) };
}

/** The replay is done when every tick is stored and no bar is left forming (end of stream closes them). */
const finished = async (pool: pg.Pool, ticks: number): Promise<boolean> =>
  (await tickCount(pool)) >= ticks &&
  (await count(pool, `SELECT count(*)::int AS n FROM ohlc_bars WHERE NOT is_closed`)) === 0 &&
  (await count(pool, `SELECT count(*)::int AS n FROM ohlc_bars`)) > 0;

describe('two ingesters on one replay', () => {
  it.each(FLUSH_INTERVALS_MS)(
    'SIGKILL the active one mid-file: the standby resumes after the stored ticks — no gap, no duplicate (forming flush every %i ms)',
    async (flushIntervalMs) => {
      const file = tickFile();
      const [killedDb, cleanDb] = [await createTestDatabase(), await createTestDatabase()];
      dbs.push(killedDb, cleanDb);
      const pool = new pg.Pool({ connectionString: killedDb.url, max: 2 });
      const cleanPool = new pg.Pool({ connectionString: cleanDb.url, max: 2 });
      try {
        // The uninterrupted replay, as fast as possible, into a database of its own.
        const clean = ingester(configFor(file.path, undefined, flushIntervalMs, 'clean'), cleanDb, { REPLAY_SPEED: 'Infinity' });
        await until(() => finished(cleanPool, file.ticks), 'the uninterrupted replay finishes');
        await clean.stop();

        const a = ingester(configFor(file.path, REPLAY_SPEED, flushIntervalMs, 'paced'), killedDb);
        await until(async () => (await tickCount(pool)) > 0, 'A plays the file');
        ingester(configFor(file.path, STANDBY_SPEED, flushIntervalMs, 'standby'), killedDb);
        await until(async () => (await leaseSessions(pool)) === 2, 'B waits as the standby');
        // At least two closed minutes stored, so the takeover resumes mid-bar with closed bars behind it.
        await until(
          async () => (await count(pool, `SELECT count(*)::int AS n FROM ohlc_bars WHERE timeframe_value = 1 AND is_closed`)) >= 2,
          'two closed minutes',
        );
        a.kill();
        const atKill = await tickCount(pool);
        expect(atKill, 'A was killed before the end of the file (else this test proves nothing)').toBeLessThan(file.ticks);

        await until(() => finished(pool, file.ticks), 'B finishes the replay');
        const [got, want] = [await stored(pool), await stored(cleanPool)];
        expect(got.ticks.length).toBe(file.ticks);
        expect(new Set(got.ticks).size).toBe(new Set(want.ticks).size);
        expect(got.ticks).toEqual(want.ticks);
        expect(got.bars.length).toBe(MINUTES + MINUTES / 5);
        expect(got.bars).toEqual(want.bars);
        console.log(
          `[standby] replay (forming flush every ${flushIntervalMs} ms): A killed after ${atKill} of ${file.ticks} ticks; B resumed, ${got.bars.length} bars equal the clean replay's`,
        );
      } finally {
        await pool.end();
        await cleanPool.end();
      }
    },
    400_000,
  );
});

// Retention tests' shared ground: one real PostgreSQL per test file holding ten days of ticks (SIM.A
// every minute, SIM.B every 10 minutes, and one tick either side of the 3-day cutoff) and of 1m, 5m
// and 1h closed bars for both contracts, all before NOW; helpers to add, count and list rows.
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { parseTimeframe } from '../../core/src/timeframe.ts';
import { type Queryable, retentionCutoff } from '../../ingester/src/retention-job.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

export const NOW = new Date('2026-03-10T12:34:56Z');
export const DAY = 86_400_000;
export const BATCH = 500;

export interface RetentionDatabase {
  /** The pool the tests run retention on (set up by beforeAll). */
  readonly pool: pg.Pool;
  /** The pool, recording each DELETE's row count. */
  readonly countingDb: (deletes: number[]) => Queryable;
  readonly count: (sql: string, values?: unknown[]) => Promise<number>;
  /** Ticks of contract `id` every `everySeconds` over ten days before NOW, each with its own trade_id. */
  readonly insertTicks: (id: string, everySeconds: number) => Promise<void>;
  /** Closed bars of one timeframe over ten days before NOW. */
  readonly insertBars: (id: string, label: string, minutes: number) => Promise<void>;
  /** Trade ids (ticks) or timestamps (bars) at or after `cutoff`: what must be left. */
  readonly kept: (table: 'ticks' | 'ohlc_bars', where: string, cutoff: Date) => Promise<string[]>;
}

/** Registers this file's beforeAll/afterAll (the database and its rows) and returns the helpers. */
export function useRetentionDatabase(): RetentionDatabase {
  let db: TestDatabase | undefined;
  let pool: pg.Pool | undefined;
  const ready = (): pg.Pool => {
    if (pool === undefined) throw new Error('the retention database is used before beforeAll set it up');
    return pool;
  };

  /** The pool, recording each DELETE's row count. */
  function countingDb(deletes: number[]): Queryable {
    return {
      query: async (text, values) => {
        const r = await ready().query(text, values);
        if (/\bDELETE FROM\b/.test(text)) deletes.push(r.rowCount ?? 0);
        return { rows: r.rows, rowCount: r.rowCount };
      },
    };
  }

  async function count(sql: string, values: unknown[] = []): Promise<number> {
    const { rows } = await ready().query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, values);
    return rows[0]?.n ?? -1;
  }

  /** Ticks of contract `id` every `everySeconds` over ten days before NOW, each with its own trade_id. */
  async function insertTicks(id: string, everySeconds: number): Promise<void> {
    await ready().query(
      `INSERT INTO ticks (contract_id, "timestamp", price, volume, trade_id)
       SELECT $1, t, 100, 1, $1 || ':' || extract(epoch FROM t)::text
         FROM generate_series($2::timestamptz, $3::timestamptz, make_interval(secs => $4)) t`,
      [id, new Date(NOW.getTime() - 10 * DAY), NOW, everySeconds],
    );
  }

  /** Closed bars of one timeframe over ten days before NOW. */
  async function insertBars(id: string, label: string, minutes: number): Promise<void> {
    const tf = parseTimeframe(label);
    await ready().query(
      `INSERT INTO ohlc_bars (contract_id, "timestamp", open, high, low, close, volume, timeframe_unit, timeframe_value, timeframe, is_closed)
       SELECT $1, t, 10, 11, 9, 10, 1, $2, $3, $4, true
         FROM generate_series(date_trunc('hour', $5::timestamptz) - interval '10 days', $5::timestamptz, make_interval(mins => $6)) t`,
      [id, tf.unit, tf.value, label, NOW, minutes],
    );
  }

  /** Trade ids (ticks) or timestamps (bars) at or after `cutoff`: what must be left. */
  async function kept(table: 'ticks' | 'ohlc_bars', where: string, cutoff: Date): Promise<string[]> {
    const key = table === 'ticks' ? 'trade_id' : `contract_id || timeframe || "timestamp"::text`;
    const { rows } = await ready().query<{ k: string }>(
      `SELECT ${key} AS k FROM ${table} WHERE ${where} AND "timestamp" >= $1 ORDER BY 1`,
      [cutoff],
    );
    return rows.map((r) => r.k);
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    await insertTicks('SIM.A', 60); // 14,401 ticks
    await insertTicks('SIM.B', 600); // 1,441
    const cutoff = retentionCutoff(NOW, 3);
    // Either side of the cutoff by one microsecond.
    await pool.query(
      `INSERT INTO ticks (contract_id, "timestamp", price, volume, trade_id) VALUES
       ('SIM.B', $1::timestamptz - interval '1 microsecond', 1, 1, 'edge:old'), ('SIM.B', $1, 1, 1, 'edge:kept')`,
      [cutoff],
    );
    for (const id of ['SIM.A', 'SIM.B']) {
      await insertBars(id, '1m', 1);
      await insertBars(id, '5m', 5);
      await insertBars(id, '1h', 60);
    }
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  return {
    get pool() {
      return ready();
    },
    countingDb,
    count,
    insertTicks,
    insertBars,
    kept,
  };
}

// PostgreSQL connection pool for services and scripts.
import pg from 'pg';
import type { Logger } from './logger.ts';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

export function createPool(connectionString: string, options: { max?: number; applicationName?: string; logger?: Logger } = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'barstream',
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection (e.g. PostgreSQL restarted) must not crash the process.
  pool.on('error', (err) => options.logger?.warn({ err: err.message }, 'idle database connection lost'));
  return pool;
}

/** Runs `work` with a checked-out client. While checked out, a connection loss is reported to the
 * running query; between queries pg would emit it as an 'error' event, which unhandled kills the
 * process (seen when PostgreSQL restarts mid-transaction), so one is listened for here. */
export async function withClient<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let lost: Error | undefined;
  const onError = (err: Error): void => {
    lost = err;
  };
  client.on('error', onError);
  try {
    return await work(client);
  } finally {
    client.off('error', onError);
    // A client whose connection died must not go back to the pool.
    client.release(lost);
  }
}

/** Runs `work` in one transaction: commits on success, rolls back and rethrows on failure. */
export function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withClient(pool, async (client) => {
    await client.query('BEGIN');
    try {
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  });
}

/** SQLSTATE 23505: a concurrent writer (or a repeat within the batch) got to the key first. */
export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === '23505';
}

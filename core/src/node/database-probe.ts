// Is PostgreSQL reachable right now? One query on a connection of its own, so a service's busy pool
// never makes /health slow or wrong, and a dead server is seen at once rather than at the next write.
import pg from 'pg';

/** Longer than a loaded machine needs for `SELECT 1`, shorter than a health checker waits. */
const PROBE_TIMEOUT_MS = 2_000;

export interface DatabaseProbe {
  /** undefined when the database answered; otherwise why it did not. */
  check(): Promise<string | undefined>;
  close(): Promise<void>;
}

export function createDatabaseProbe(connectionString: string, timeoutMs = PROBE_TIMEOUT_MS): DatabaseProbe {
  const pool = new pg.Pool({
    connectionString,
    max: 1,
    application_name: 'barstream-health',
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    idleTimeoutMillis: 30_000,
  });
  // A lost idle connection is what the next check reports; unhandled, it would end the process.
  pool.on('error', () => undefined);
  return {
    async check() {
      try {
        await pool.query('SELECT 1');
        return undefined;
      } catch (err) {
        return (err as Error).message || String(err);
      }
    },
    close: () => pool.end(),
  };
}

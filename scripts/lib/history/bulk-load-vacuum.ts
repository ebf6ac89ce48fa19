// The end of a bulk history load: `VACUUM (ANALYZE) ohlc_bars`, so the first reader of the new bars does
// not pay for them. A row COPYed moments ago carries no hint bits: the first query to read its page checks
// each row's transaction against the commit log, sets the bits and dirties the page (the analyzer's
// first read of a 100,000-bar page: 229 ms against 42–57 ms once hinted, an3). Bars that arrive over time
// get this from autovacuum long before anyone reads them in bulk; an import writes a million at once and
// an analyzer backfill reads them straight after. VACUUM sets the bits and the visibility map, ANALYZE
// gives the planner the new rows (PostgreSQL's advice after a bulk load, "Populating a Database").
import type { Pool } from '@barstream/core/node';
import { formatCount } from './report-format.ts';

/**
 * Rows written (inserted + updated) from which the load ends with the VACUUM: one analyzer page. Below
 * it the first read's extra cost is small (~2 µs a row, ~0.2 s a page) and autovacuum's insert threshold
 * (1,000 rows + 20 % of the table) comes round on its own for a table that small; the VACUUM's fixed
 * part (ANALYZE's 30,000-row sample, the visibility map's scan) would be most of its cost.
 */
export const VACUUM_AFTER_ROWS = 100_000;

export interface BulkLoadVacuum {
  /** Rows written by the load. */
  readonly rows: number;
  /** Seconds the VACUUM (ANALYZE) took, whether it succeeded or not. */
  readonly seconds: number;
  /** Why it failed; the load itself is committed regardless. */
  readonly error?: string;
}

/**
 * `VACUUM (ANALYZE) ohlc_bars` when `rows` ≥ `threshold`; undefined when it did not run. Never inside a
 * transaction (VACUUM refuses to be): `pool.query` runs it on its own. On TimescaleDB the statement on the
 * hypertable vacuums each of its chunks. A failure is returned, not thrown: the bars are already stored.
 */
export async function vacuumAfterBulkLoad(pool: Pool, rows: number, threshold = VACUUM_AFTER_ROWS): Promise<BulkLoadVacuum | undefined> {
  if (rows < threshold || rows === 0) return undefined;
  const started = performance.now();
  try {
    await pool.query('VACUUM (ANALYZE) ohlc_bars');
    return { rows, seconds: (performance.now() - started) / 1000 };
  } catch (err) {
    return { rows, seconds: (performance.now() - started) / 1000, error: err instanceof Error ? err.message : String(err) };
  }
}

/** The commands' end of a load: the VACUUM when `rows` reach `threshold`, its line on `out` (on `err` when it failed). */
export async function reportBulkLoadVacuum(
  pool: Pool,
  rows: number,
  threshold: number | undefined,
  out: { write(line: string): unknown },
  err: { write(line: string): unknown },
): Promise<void> {
  const vacuum = await vacuumAfterBulkLoad(pool, rows, threshold);
  if (vacuum) (vacuum.error === undefined ? out : err).write(`${formatBulkLoadVacuum(vacuum)}\n`);
}

/** The line a command prints for it: the time is part of the load's cost and is shown as such. */
export function formatBulkLoadVacuum(v: BulkLoadVacuum): string {
  const what = `VACUUM (ANALYZE) ohlc_bars after ${formatCount(v.rows)} bars written`;
  if (v.error !== undefined)
    return `warning: ${what} failed after ${v.seconds.toFixed(2)} s (${v.error}); the bars are stored, autovacuum will get to them`;
  return `${what}: ${v.seconds.toFixed(2)} s (hint bits, visibility map and statistics set now, so the first reads are not slowed; part of this load's time)`;
}

// The alerter's position in the transaction history (table alerter_progress): rows of ohlc_bars and
// detected_signals written by a transaction older than it were evaluated, if known by the watermark.
// NOTIFY tells a running alerter about data stored behind its watermark; a row whose NOTIFY was never
// read (the alerter was down, or its LISTEN connection lost) is found at the next rebuild by its xmin.
import type { Pool } from '@barstream/core/node';

/** A snapshot is only trusted as the evaluated position once the notifications of the transactions
 * before it have surely been read and acted on, or their loss noticed: longer than a half-open LISTEN
 * connection takes to be declared dead (30–35 s, core/src/node/notification-listener.ts). A longer lag
 * costs nothing but a larger re-evaluation after a restart. */
export const NOTIFY_LAG_MS = 60_000;

/**
 * SQL: true when row `alias` was written by a transaction at or after the xid8 in parameter `param`
 * (`xmin` is a 32-bit xid: compared modulo 2^32, valid within 2^31 transactions of it). Frozen rows
 * (xmin below 3, the first normal xid) are old.
 */
export function writtenSinceSql(alias: string, param: string): string {
  const x = `${alias}.xmin::text::bigint`;
  return `(${param}::bigint IS NOT NULL AND ${x} >= 3 AND ((${x} - ${param}::bigint) % 4294967296 + 4294967296) % 4294967296 < 2147483648)`;
}

/** The earliest transaction still running now (xid8 as a decimal string): everything older has ended. */
export async function readSnapshotXmin(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ x: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS x');
  return rows[0]!.x;
}

/** The stored position, undefined before the first one. */
export async function readEvaluatedXmin(pool: Pool): Promise<string | undefined> {
  const { rows } = await pool.query<{ x: string }>('SELECT evaluated_xmin::text AS x FROM alerter_progress');
  return rows[0]?.x;
}

/** Statement (inside a step's transaction) storing the position, parameter $1. */
export const UPSERT_EVALUATED_XMIN = `
INSERT INTO alerter_progress (id, evaluated_xmin, updated_at) VALUES (true, $1::text::xid8, now())
ON CONFLICT (id) DO UPDATE SET evaluated_xmin = EXCLUDED.evaluated_xmin, updated_at = now()`;

/**
 * Snapshot positions taken at each step while LISTEN was up, kept until they are old enough
 * (NOTIFY_LAG_MS) to be stored: by then every notification of a transaction older than the position
 * was read, and the data it announced was evaluated.
 */
export class SnapshotSamples {
  private samples: { at: number; xmin: string }[] = [];
  private stored: string | undefined;

  constructor(private readonly nowMs: () => number = Date.now) {}

  /** A position that needs no wait (read by a rebuild straight from the tables). */
  trust(xmin: string): void {
    this.samples = [{ at: -Infinity, xmin }];
  }

  add(xmin: string): void {
    this.samples.push({ at: this.nowMs(), xmin });
  }

  /** LISTEN lost: notifications may be missing; nothing newer is stored until the next rebuild. */
  clear(): void {
    this.samples = [];
  }

  /** The newest position old enough to store and not stored yet (it is then taken as stored). */
  takeStorable(): string | undefined {
    const limit = this.nowMs() - NOTIFY_LAG_MS;
    let i = -1;
    while (i + 1 < this.samples.length && (this.samples[i + 1] as { at: number }).at <= limit) i++;
    if (i < 0) return undefined;
    const { xmin } = this.samples[i] as { xmin: string };
    this.samples = this.samples.slice(i); // the taken one stays: the next one replaces it when old enough
    if (xmin === this.stored) return undefined;
    this.stored = xmin;
    return xmin;
  }

  /** The stored position's write failed (the step rolled back): store it again next time. */
  forgetStored(): void {
    this.stored = undefined;
  }
}

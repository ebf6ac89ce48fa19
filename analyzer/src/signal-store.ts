// Writes a target's new signals, NOTIFYs them and advances its watermark, atomically. A few signals
// (live) go in one statement; PostgreSQL builds each signal_detected payload from the inserted row.
// A backfill's many take the bulk path (signal-bulk-copy.ts).
import { channels } from '@barstream/core';
import { inTransaction, type Pool, type PoolClient } from '@barstream/core/node';
import { BULK_SIGNALS, copySignals } from './signal-bulk-copy.ts';
import type { SignalBatch } from './signal-batch.ts';
import { withdrawSignals } from './signal-withdrawal.ts';
import type { AnalysisUnit } from './targets.ts';

/** The live path as one statement, atomic on its own: the new signals (already stored ones are left
 * as they are), one signal_detected each — PostgreSQL builds the payload from the inserted row,
 * shape = signalMessageSchema (core/src/schemas/signal-message.ts; a test parses it) — and the
 * watermark. One round trip: a bar close's signal is not kept waiting behind BEGIN, a temporary
 * table, a COPY and COMMIT (7 round trips, half of the bar close → signal latency under load). */
const STORE_AND_NOTIFY = `
WITH inserted AS (
  INSERT INTO detected_signals (analyzer_id, "timestamp", contract_id, timeframe, signal_type, signal_price,
    signal_open, signal_high, signal_low, signal_close, signal_volume, details)
  SELECT $2, s.t, $3, $4, s.ty, s.p, s.o, s.h, s.l, s.c, s.v, s.d
    FROM unnest($6::timestamptz[], $7::text[], $8::float8[], $9::float8[], $10::float8[], $11::float8[], $12::float8[],
      $13::float8[], $14::jsonb[]) AS s(t, ty, p, o, h, l, c, v, d)
  ON CONFLICT ON CONSTRAINT detected_signals_unique_signal DO NOTHING
  RETURNING *),
watermark AS (
  INSERT INTO analyzer_watermarks (analyzer_id, contract_id, timeframe, last_processed_timestamp, updated_at)
  VALUES ($2, $3, $4, to_timestamp($5::float8 / 1000), now())
  ON CONFLICT (analyzer_id, contract_id, timeframe)
  DO UPDATE SET last_processed_timestamp = EXCLUDED.last_processed_timestamp, updated_at = now())
SELECT count(n)::int AS notified FROM (
  SELECT pg_notify($1, json_build_object('type', 'signal', 'signal_id', signal_id, 'analyzer_id', analyzer_id,
    'contract_id', contract_id, 'timeframe', timeframe,
    'timestamp', to_char("timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'trigger_timestamp', to_char(trigger_timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'signal_type', signal_type, 'signal_price', signal_price, 'details', details)::text)::text AS n
  FROM inserted) AS sent`;

const UPSERT_WATERMARK = `
INSERT INTO analyzer_watermarks (analyzer_id, contract_id, timeframe, last_processed_timestamp, updated_at)
VALUES ($1, $2, $3, to_timestamp($4::float8 / 1000), now())
ON CONFLICT (analyzer_id, contract_id, timeframe)
DO UPDATE SET last_processed_timestamp = EXCLUDED.last_processed_timestamp, updated_at = now()`;

/** Stores the signals that are new (already stored ones are left as they are) and returns how many. */
export async function storeSignals(pool: Pool, unit: AnalysisUnit, signals: SignalBatch, watermarkMs: number): Promise<number> {
  if (signals.length < BULK_SIGNALS) return storeAndNotify(pool, unit, signals, watermarkMs);
  return inTransaction(pool, async (client) => {
    // A backfill's write does not wait for its WAL flush (the wait is 4-5x the commit's own time and
    // the writes are the pass's slowest stage). A server crash may lose the last such commits, the
    // watermark with their signals: the restarted analyzer computes them again from that watermark. A
    // transaction that read them and committed (the alerter's progress) flushed them first; the live
    // path (below BULK_SIGNALS) keeps waiting.
    await client.query('SET LOCAL synchronous_commit = off');
    return storeSignalsIn(client, unit, signals, watermarkMs);
  });
}

/** storeSignals inside the caller's transaction. */
async function storeSignalsIn(client: PoolClient, unit: AnalysisUnit, signals: SignalBatch, watermarkMs: number): Promise<number> {
  if (signals.length < BULK_SIGNALS) return storeAndNotify(client, unit, signals, watermarkMs);
  const copied = await copySignals(client, unit, signals);
  if (copied === undefined) return storeAndNotify(client, unit, signals, watermarkMs);
  await client.query(UPSERT_WATERMARK, [unit.analyzerId, unit.contractId, unit.timeframeLabel, watermarkMs]);
  return copied;
}

/** A column's numbers; non-finite ones go in as NULL (a column array may hold nulls). */
const column = (c: ArrayLike<number>): (number | null)[] => Array.from(c, (n) => (Number.isFinite(n) ? n : null));

async function storeAndNotify(db: Pool | PoolClient, unit: AnalysisUnit, signals: SignalBatch, watermarkMs: number): Promise<number> {
  const { bars } = signals;
  // Named: each pool connection parses and plans the statement once, not on every bar close.
  const { rows } = await db.query<{ notified: number }>({
    name: 'analyzer-store-and-notify',
    text: STORE_AND_NOTIFY,
    values: [
      channels.signalDetected.name,
      unit.analyzerId,
      unit.contractId,
      unit.timeframeLabel,
      watermarkMs,
      Array.from(bars.time, (t) => new Date(t).toISOString()),
      signals.types,
      column(signals.price),
      column(bars.open),
      column(bars.high),
      column(bars.low),
      column(bars.close),
      column(bars.volume),
      signals.details,
    ],
  });
  return rows[0]?.notified ?? 0;
}

export async function readWatermark(pool: Pool, unit: AnalysisUnit): Promise<number | undefined> {
  const { rows } = await pool.query<{ t: number }>(
    `SELECT (extract(epoch FROM last_processed_timestamp) * 1000)::float8 AS t FROM analyzer_watermarks
      WHERE analyzer_id = $1 AND contract_id = $2 AND timeframe = $3`,
    [unit.analyzerId, unit.contractId, unit.timeframeLabel],
  );
  return rows[0]?.t;
}

/** Forgets signals triggered at or after `fromMs` (all when undefined) and moves the watermark back before
 * it; the signals are recorded as withdrawn (signal-withdrawal.ts) in the same transaction. */
export async function rewindTarget(pool: Pool, unit: AnalysisUnit, fromMs: number | undefined): Promise<void> {
  await inTransaction(pool, async (client) => {
    const args = [unit.analyzerId, unit.contractId, unit.timeframeLabel];
    if (fromMs === undefined) {
      await withdrawSignals(client, unit, { all: true }, 'recompute');
      await client.query('DELETE FROM analyzer_watermarks WHERE analyzer_id = $1 AND contract_id = $2 AND timeframe = $3', args);
      return;
    }
    await withdrawSignals(client, unit, { triggeredFromMs: fromMs }, 'rerun');
    await client.query(
      `UPDATE analyzer_watermarks SET last_processed_timestamp = to_timestamp($4::float8 / 1000 - 0.001), updated_at = now()
       WHERE analyzer_id = $1 AND contract_id = $2 AND timeframe = $3 AND last_processed_timestamp >= to_timestamp($4::float8 / 1000)`,
      [...args, fromMs],
    );
  });
}

/** Makes the stored signals of a target equal `computed` (up to the watermark): a bar corrected
 * while the analyzer was down, or while its LISTEN connection was lost, is only noticed when the
 * series is recomputed. Signals are compared whole (bar, type and details such as the rule): a
 * correction may keep a signal's bar and type but change why it fired. */
export async function reconcileSignals(
  pool: Pool,
  unit: AnalysisUnit,
  computed: SignalBatch,
  watermarkMs: number,
): Promise<{ removed: number; added: number }> {
  const { rows } = await pool.query<{ id: number; t: number; ty: string; details: Record<string, unknown> }>(
    `SELECT signal_id AS id, (extract(epoch FROM "timestamp") * 1000)::float8 AS t, signal_type AS ty, details FROM detected_signals
      WHERE analyzer_id = $1 AND contract_id = $2 AND timeframe = $3`,
    [unit.analyzerId, unit.contractId, unit.timeframeLabel],
  );
  const identity = (t: number, type: string, details: unknown) => `${t}|${type}|${canonicalJson(details)}`;
  const wanted = computed.details.map((details, i) =>
    identity(computed.bars.time[i] as number, computed.types[i] as string, JSON.parse(details)),
  );
  const stored = rows.map((r) => identity(r.t, r.ty, r.details));
  const want = new Set(wanted);
  const have = new Set(stored);
  const extra = rows.filter((_, i) => !want.has(stored[i] as string));
  const missing = computed.select(wanted.flatMap((w, i) => (have.has(w) ? [] : [i])));
  // One transaction: a signal replaced by one of the same identity (its details changed) is never seen
  // missing, so the alerter does not take it for withdrawn.
  if (extra.length + missing.length > 0) {
    await inTransaction(pool, async (client) => {
      if (extra.length > 0) await withdrawSignals(client, unit, { signalIds: extra.map((r) => r.id) }, 'reconcile');
      if (missing.length > 0) await storeSignalsIn(client, unit, missing, watermarkMs);
    });
  }
  return { removed: extra.length, added: missing.length };
}

/** JSON with object keys sorted: jsonb does not keep the order the strategy wrote them in. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

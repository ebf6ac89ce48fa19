// Storage side of backfill and repair: vendor bars win over live ones, every change is NOTIFYed. Under
// leases each write is fenced like a flush (its first statement checks the contract's lease epoch,
// fence-check.ts): a holder that lost the lease writes nothing after the taker read what is stored.
import { type ContractBar, formatTimeframe, type Timeframe, toOhlcMessage } from '@barstream/core';
import { inTransaction, notifyAll, type Pool, type PoolClient } from '@barstream/core/node';
import { BAR_ROW_COLUMNS, type BarRow, toContractBar } from './bar-rows.ts';
import { checkFence, type FenceClaim } from './fence-check.ts';

const CHUNK = 5_000;

const UPSERT_HISTORY = `
INSERT INTO ohlc_bars (contract_id, "timestamp", open, high, low, close, volume, timeframe_unit, timeframe_value, timeframe, is_closed, updated_at)
SELECT *, now() FROM unnest($1::text[], $2::timestamptz[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[],
                            $8::int2[], $9::int4[], $10::text[], $11::bool[])
ON CONFLICT (contract_id, timeframe_unit, timeframe_value, "timestamp") DO UPDATE SET
  open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close, volume = EXCLUDED.volume,
  is_closed = EXCLUDED.is_closed, updated_at = now()
WHERE (ohlc_bars.open, ohlc_bars.high, ohlc_bars.low, ohlc_bars.close, ohlc_bars.volume, ohlc_bars.is_closed)
      IS DISTINCT FROM (EXCLUDED.open, EXCLUDED.high, EXCLUDED.low, EXCLUDED.close, EXCLUDED.volume, EXCLUDED.is_closed)
RETURNING ${BAR_ROW_COLUMNS}`;

async function notifyRows(client: PoolClient, rows: readonly BarRow[]): Promise<void> {
  if (rows.length === 0) return;
  await notifyAll(
    client,
    'ohlcUpdate',
    rows.map((r) => JSON.stringify(toOhlcMessage(toContractBar(r)))),
  );
}

/** Upserts vendor bars (changed rows only), NOTIFYing each change; returns how many changed. `fence`:
 * the lease claim each chunk's transaction checks first (a refusal throws BSF01, fence-check.ts). */
export async function writeHistoryBars(pool: Pool, bars: readonly ContractBar[], fence?: FenceClaim): Promise<number> {
  let changed = 0;
  for (let i = 0; i < bars.length; i += CHUNK) {
    const chunk = bars.slice(i, i + CHUNK);
    changed += await inTransaction(pool, async (client) => {
      if (fence) await checkFence(client, fence);
      const { rows } = await client.query<BarRow>(UPSERT_HISTORY, [
        chunk.map((b) => b.contractId),
        chunk.map((b) => new Date(b.time).toISOString()),
        chunk.map((b) => b.open),
        chunk.map((b) => b.high),
        chunk.map((b) => b.low),
        chunk.map((b) => b.close),
        chunk.map((b) => b.volume),
        chunk.map((b) => b.unit),
        chunk.map((b) => b.value),
        chunk.map((b) => formatTimeframe(b)),
        chunk.map((b) => b.isClosed),
      ]);
      await notifyRows(client, rows);
      return rows.length;
    });
  }
  return changed;
}

export interface StoredBarFix {
  readonly open?: number;
  readonly high: number;
  readonly low: number;
  readonly volumeDelta: number;
  readonly close?: number;
}

/** Corrects a stored bar in place (extremes widen, volume shifts, open/close replaced if given);
 * inserts `fallback` when there is no such row. `fence` as for writeHistoryBars. */
export async function fixStoredBar(
  pool: Pool,
  key: { contractId: string; unit: number; value: number; time: number },
  fix: StoredBarFix,
  fallback?: ContractBar,
  fence?: FenceClaim,
): Promise<void> {
  await inTransaction(pool, async (client) => {
    if (fence) await checkFence(client, fence);
    const { rows } = await client.query<BarRow>(
      `UPDATE ohlc_bars SET open = COALESCE($5, open), high = GREATEST(high, $6), low = LEAST(low, $7),
              volume = GREATEST(0, volume + $8), close = COALESCE($9, close), updated_at = now()
        WHERE contract_id = $1 AND timeframe_unit = $2 AND timeframe_value = $3 AND "timestamp" = to_timestamp($4::float8 / 1000)
        RETURNING ${BAR_ROW_COLUMNS}`,
      [key.contractId, key.unit, key.value, key.time, fix.open ?? null, fix.high, fix.low, fix.volumeDelta, fix.close ?? null],
    );
    if (rows.length > 0) return notifyRows(client, rows);
    if (!fallback) return;
    const inserted = await client.query<BarRow>(UPSERT_HISTORY, [
      [fallback.contractId],
      [new Date(fallback.time).toISOString()],
      [fallback.open],
      [fallback.high],
      [fallback.low],
      [fallback.close],
      [fallback.volume],
      [fallback.unit],
      [fallback.value],
      [formatTimeframe(fallback)],
      [fallback.isClosed],
    ]);
    await notifyRows(client, inserted.rows);
  });
}

/** Per timeframe ('unit|value'), the labels (ms) of its last two closed bars labelled before `before`,
 * newest first. Each timeframe's walks the primary key backwards from `before`. */
export async function lastClosedLabels(
  pool: Pool,
  contractId: string,
  timeframes: readonly Timeframe[],
  before: number,
): Promise<Map<string, number[]>> {
  const { rows } = await pool.query<{ u: number; v: number; t: number }>(
    `SELECT tf.u, tf.v, (extract(epoch FROM b."timestamp") * 1000)::float8 AS t
       FROM unnest($2::int2[], $3::int4[]) AS tf(u, v)
      CROSS JOIN LATERAL (
        SELECT "timestamp" FROM ohlc_bars
         WHERE contract_id = $1 AND timeframe_unit = tf.u AND timeframe_value = tf.v AND is_closed
           AND "timestamp" < to_timestamp($4::float8 / 1000)
         ORDER BY "timestamp" DESC LIMIT 2) b
      ORDER BY 1, 2, 3 DESC`,
    [contractId, timeframes.map((tf) => tf.unit), timeframes.map((tf) => tf.value), before],
  );
  const labels = new Map<string, number[]>();
  for (const r of rows) {
    const key = `${r.u}|${r.v}`;
    labels.set(key, [...(labels.get(key) ?? []), r.t]);
  }
  return labels;
}

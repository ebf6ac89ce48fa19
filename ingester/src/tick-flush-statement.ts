// A small flush of ticks alone (the live case between forming-bar writes) as one statement: the
// INSERT and its NOTIFYs in autocommit, one round trip where BEGIN, COPY, NOTIFY and COMMIT take
// four or five. One statement is one transaction: the NOTIFYs are delivered only if the ticks commit.
import { channels, isoWithMicros, TickPayloadBuilder } from '@barstream/core';
import type { Pool } from '@barstream/core/node';
import { type FenceClaim, fenceCheckCall, fenceParams } from './fence-check.ts';
import { SIDES, tradeIdTextAt, type TickBatch } from './tick-batch.ts';

/** Flushes of at most this many ticks (and no bars or quotes) take this path; larger ones COPY. */
export const ONE_STATEMENT_MAX_TICKS = 500;

const INSERT_TICKS = `INSERT INTO ticks (contract_id, "timestamp", price, volume, side, trade_id)
  SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::float8[], $4::float8[], $5::text[], $6::text[]) RETURNING 1`;

/** Stores the batch's ticks and NOTIFYs them in one statement; returns the NOTIFY count. With `fence`,
 * the lease fence is checked in the same statement (it fails, storing nothing, when a lease moved). */
export async function writeTicksInOneStatement(pool: Pool, batch: TickBatch, fence?: FenceClaim): Promise<number> {
  const n = batch.length;
  const ids = new Array<string>(n);
  const times = new Array<string>(n);
  const prices = new Array<number>(n);
  const volumes = new Array<number>(n);
  const sides = new Array<string>(n);
  const tradeIds = new Array<string | null>(n);
  const builder = new TickPayloadBuilder();
  for (let i = 0; i < n; i++) {
    const contractId = batch.contractIds[batch.contract[i] as number] as string;
    const ms = batch.time[i] as number;
    const iso = isoWithMicros(ms);
    const side = SIDES[batch.side[i] as number] ?? 'unknown';
    const price = batch.price[i] as number;
    const volume = batch.volume[i] as number;
    ids[i] = contractId;
    times[i] = iso;
    prices[i] = price;
    volumes[i] = volume;
    sides[i] = side;
    tradeIds[i] = tradeIdTextAt(batch, i) ?? null;
    builder.addTick(contractId, Math.round(ms * 1000), price, volume, side);
  }
  const payloads = builder.finish();
  const notifies = payloads.map((_, i) => `pg_notify($7, $${i + 8})`).join(', ');
  // A data-modifying CTE runs to completion whether or not it is read; reading its count makes the
  // statement's answer say how many rows went in.
  const fenced = fence ? `${fenceCheckCall(8 + payloads.length)} AS fenced, ` : '';
  const sql = `WITH stored AS (${INSERT_TICKS}) SELECT ${fenced}(SELECT count(*) FROM stored)::int AS stored, ${notifies}`;
  const { rows } = await pool.query<{ stored: number }>(sql, [
    ids,
    times,
    prices,
    volumes,
    sides,
    tradeIds,
    channels.tickData.name,
    ...payloads,
    ...(fence ? fenceParams(fence) : []),
  ]);
  if (rows[0]?.stored !== n) throw new Error(`tick flush stored ${rows[0]?.stored ?? 0} of ${n} ticks`);
  return payloads.length;
}

// What a replay resumes from after a restart or a standby's takeover (docs/DEPLOY.md "Standbys and
// scale-out"): the stored tail of each contract's ticks (the provider skips the file up to it), and
// the bars not stored closed, rebuilt from the stored ticks. Stored forming rows are not used: they are
// written every flush_interval_ms, so after a SIGKILL they may lag the ticks stored after them.
import {
  BarAggregator,
  type Bucket,
  type ContractBar,
  fixedLengthMs,
  type SessionCalendar,
  type Timeframe,
  type Trade,
  type TradeSide,
} from '@barstream/core';
import type { Pool } from '@barstream/core/node';
import { BAR_ROW_COLUMNS, type BarRow } from './bar-rows.ts';
import type { StoredTail } from './providers/stored-tail.ts';

export interface ReplayResumeOptions {
  readonly pool: Pool;
  readonly timeframes: readonly Timeframe[];
  readonly calendarFor: (contractId: string) => SessionCalendar;
  readonly graceMs: number;
}

const EPOCH_MS = `(extract(epoch FROM "timestamp") * 1000)::float8`;

/** Per contract with stored ticks: its last tick's time and how many ticks share it. */
export async function readStoredTails(pool: Pool, contractIds: readonly string[]): Promise<Map<string, StoredTail>> {
  const { rows } = await pool.query<{ contract_id: string; t: number; n: number }>(
    `SELECT last.contract_id, (extract(epoch FROM last.ts) * 1000)::float8 AS t,
            (SELECT count(*)::int FROM ticks k WHERE k.contract_id = last.contract_id AND k."timestamp" = last.ts) AS n
       FROM (SELECT contract_id, max("timestamp") AS ts FROM ticks WHERE contract_id = ANY($1::text[]) GROUP BY contract_id) last`,
    [contractIds],
  );
  return new Map(rows.map((r) => [r.contract_id, { time: r.t, count: r.n }]));
}

/** The bars of buckets not stored closed, each timeframe from its first such bucket, as forming bars to
 * seed the aggregator with: the next trades close or continue them as if the replay had not stopped. */
export async function rebuildUnclosedBars(options: ReplayResumeOptions, contractIds: readonly string[]): Promise<ContractBar[]> {
  const out: ContractBar[] = [];
  for (const id of contractIds) out.push(...(await rebuildContract(options, id)));
  return out;
}

async function rebuildContract(options: ReplayResumeOptions, contractId: string): Promise<ContractBar[]> {
  const { pool, timeframes, calendarFor, graceMs } = options;
  const calendar = calendarFor(contractId);
  const { rows: closed } = await pool.query<BarRow>(
    `SELECT DISTINCT ON (timeframe_unit, timeframe_value) ${BAR_ROW_COLUMNS} FROM ohlc_bars
      WHERE contract_id = $1 AND is_closed ORDER BY timeframe_unit, timeframe_value, "timestamp" DESC`,
    [contractId],
  );
  // Per timeframe, where its first bucket not stored closed may start.
  const firstOpen = timeframes.map((tf) => {
    const last = closed.find((r) => r.timeframe_unit === tf.unit && r.timeframe_value === tf.value);
    return last ? bucketOfLabel(calendar, last.t, tf).to : -Infinity;
  });
  const from = Math.min(...firstOpen);
  const { rows: ticks } = await pool.query<{ t: number; price: number; volume: number; side: TradeSide }>(
    // Ties in time in the order stored (the order they were aggregated in).
    `SELECT ${EPOCH_MS} AS t, price, volume, side FROM ticks
      WHERE contract_id = $1 AND ($2::float8 IS NULL OR "timestamp" >= to_timestamp($2::float8 / 1000))
      ORDER BY "timestamp", ctid`,
    [contractId, Number.isFinite(from) ? from : null],
  );
  // Never advanced: every bucket stays open, so the caller picks which are not stored closed.
  const scratch = new BarAggregator({ timeframes, calendarFor, graceMs });
  for (const r of ticks) {
    const trade: Trade = { contractId, time: r.t, price: r.price, volume: r.volume, side: r.side };
    scratch.addTrade(trade, trade.time);
  }
  return scratch.formingBars().filter((bar) => {
    const i = timeframes.findIndex((tf) => tf.unit === bar.unit && tf.value === bar.value);
    const tf = timeframes[i];
    // A bucket that began before the stored closed one ended is stored already (and partial here).
    return tf !== undefined && bucketOfLabel(calendar, bar.time, tf).from >= (firstOpen[i] ?? Infinity);
  });
}

/** The bucket a bar's label names (as the aggregator reads it: a daily label is a trade date at 00:00
 * UTC, whose session open gives the bucket). */
function bucketOfLabel(calendar: SessionCalendar, label: number, tf: Timeframe): Bucket {
  return calendar.bucket(fixedLengthMs(tf) === undefined ? calendar.sessionOpen(label) : label, tf);
}

// One retention pass: deletes ticks and bars older than their retention in bounded DELETEs, oldest first.
import type { Timeframe } from '@barstream/core';

const DAY_MS = 86_400_000;

/** What a pass removes: cutoffs in whole UTC days, so a kept day is always kept whole. */
export interface RetentionPlan {
  /** Ticks older than this many days; undefined keeps them (or TimescaleDB's policy drops them). */
  readonly ticksDays?: number;
  readonly bars: readonly { readonly label: string; readonly timeframe: Timeframe; readonly days: number }[];
  /** Rows one DELETE removes at most. */
  readonly batchRows: number;
}

export interface RetentionReport {
  readonly ticks: number;
  /** Rows removed per timeframe label (only the configured ones). */
  readonly bars: Readonly<Record<string, number>>;
  readonly statements: number;
}

/** What a caller learns while a pass runs: `stopped` is asked between statements (a stopping service
 * is not held up); `onDeleted` hears each DELETE's rows, so what a failed pass removed is still counted. */
export interface RetentionHooks {
  readonly stopped?: () => boolean;
  readonly onDeleted?: (table: 'ticks' | 'ohlc_bars', timeframe: string, rows: number) => void;
}

/** The part of pg's Pool a pass uses (a test wraps it to count statements). */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

/** The first instant kept: midnight UTC of today minus `days`. */
export function retentionCutoff(now: Date, days: number): Date {
  return new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS - days * DAY_MS);
}

/** Distinct contracts of a table whose index starts with contract_id: one index probe per contract
 * (a loose index scan) instead of reading the whole table. */
async function contractsOf(db: Queryable, table: 'ticks' | 'ohlc_bars'): Promise<string[]> {
  const { rows } = await db.query(`WITH RECURSIVE c AS (
      (SELECT contract_id FROM ${table} ORDER BY contract_id LIMIT 1)
      UNION ALL
      SELECT (SELECT t.contract_id FROM ${table} t WHERE t.contract_id > c.contract_id ORDER BY t.contract_id LIMIT 1)
        FROM c WHERE c.contract_id IS NOT NULL)
    SELECT contract_id FROM c WHERE contract_id IS NOT NULL`);
  return (rows as { contract_id: string }[]).map((r) => r.contract_id);
}

/**
 * Deletes one series' rows before `cutoff`, at most `batchRows` per statement, oldest first: each DELETE
 * takes the time range up to the (batchRows+1)-th oldest row (strictly before it), found on the
 * (contract_id, timestamp) index or the bars' primary key. Ticks may share a timestamp: when a whole
 * batch is one instant, that instant is deleted on its own. Stops early when `stopped()` says so.
 */
async function deleteSeries(
  db: Queryable,
  series: { table: 'ticks' | 'ohlc_bars'; where: string; params: unknown[] },
  cutoff: Date,
  batchRows: number,
  stopped: () => boolean,
  onStatement: () => void,
  onDeleted: (rows: number) => void,
): Promise<number> {
  const { table, where, params } = series;
  const n = params.length;
  const cutoffParam = `$${n + 1}`;
  const batchSql = `WITH bound AS (
      SELECT "timestamp" AS t FROM ${table} WHERE ${where} AND "timestamp" < ${cutoffParam}
       ORDER BY "timestamp" OFFSET $${n + 2} LIMIT 1)
    DELETE FROM ${table} WHERE ${where} AND "timestamp" < COALESCE((SELECT t FROM bound), ${cutoffParam})`;
  let removed = 0;
  while (!stopped()) {
    onStatement();
    const { rowCount } = await db.query(batchSql, [...params, cutoff, batchRows]);
    const count = rowCount ?? 0;
    removed += count;
    if (count > 0) {
      onDeleted(count);
      continue;
    }
    // Nothing before the bound: either no row is left before the cutoff, or the oldest instant alone
    // holds more than a batch (ties of one microsecond, ticks only).
    onStatement();
    const oldest = await db.query(`SELECT min("timestamp") AS t FROM ${table} WHERE ${where} AND "timestamp" < ${cutoffParam}`, [
      ...params,
      cutoff,
    ]);
    const t = (oldest.rows[0] as { t: Date | null } | undefined)?.t;
    if (!t) break;
    onStatement();
    const tie = await db.query(`DELETE FROM ${table} WHERE ${where} AND "timestamp" = ${cutoffParam}`, [...params, t]);
    removed += tie.rowCount ?? 0;
    onDeleted(tie.rowCount ?? 0);
  }
  return removed;
}

/** Runs one pass. */
export async function runRetention(db: Queryable, plan: RetentionPlan, now: Date, hooks: RetentionHooks = {}): Promise<RetentionReport> {
  const stopped = hooks.stopped ?? (() => false);
  const onDeleted = hooks.onDeleted ?? (() => undefined);
  let statements = 0;
  const counted = () => void statements++;
  let ticks = 0;
  if (plan.ticksDays !== undefined) {
    const cutoff = retentionCutoff(now, plan.ticksDays);
    for (const contract of await contractsOf(db, 'ticks')) {
      if (stopped()) break;
      const series = { table: 'ticks' as const, where: 'contract_id = $1', params: [contract] };
      ticks += await deleteSeries(db, series, cutoff, plan.batchRows, stopped, counted, (rows) => onDeleted('ticks', '', rows));
    }
  }
  const bars: Record<string, number> = {};
  if (plan.bars.length > 0) {
    const contracts = await contractsOf(db, 'ohlc_bars');
    for (const { label, timeframe, days } of plan.bars) {
      const cutoff = retentionCutoff(now, days);
      let removed = 0;
      for (const contract of contracts) {
        if (stopped()) break;
        const series = {
          table: 'ohlc_bars' as const,
          where: 'contract_id = $1 AND timeframe_unit = $2 AND timeframe_value = $3',
          params: [contract, timeframe.unit, timeframe.value],
        };
        removed += await deleteSeries(db, series, cutoff, plan.batchRows, stopped, counted, (rows) => onDeleted('ohlc_bars', label, rows));
      }
      bars[label] = removed;
    }
  }
  return { ticks, bars, statements };
}

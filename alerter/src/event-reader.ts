// Reads the rule engine's input from the tables: closed bars and stored signals of the scope whose
// knownAt lies in a range, and how far the stored data is complete (the horizon).
import type { BarEvent, EngineEvent, SignalEvent } from '@barstream/core';
import type { Pool } from '@barstream/core/node';
import type { EvaluationScope } from './evaluation-scope.ts';
import { writtenSinceSql } from './evaluated-xmin.ts';
import { TRIGGER_TIME_SQL } from './signal-trigger.ts';

const BARS = `
SELECT b.contract_id, b.timeframe, (extract(epoch FROM b."timestamp") * 1000)::float8 AS t,
       b.open, b.high, b.low, b.close, b.volume, ${writtenSinceSql('b', '$6')} AS fresh
  FROM unnest($2::text[], $3::float8[]) AS tf(name, len_ms)
  JOIN ohlc_bars b ON b.timeframe = tf.name
 WHERE b.contract_id = ANY($1::text[]) AND b.is_closed
   AND b."timestamp" > to_timestamp(($4::float8 - tf.len_ms) / 1000)
   AND b."timestamp" <= to_timestamp(($5::float8 - tf.len_ms) / 1000)`;

const SIGNALS = `
SELECT * FROM (
  SELECT s.analyzer_id, s.contract_id, s.timeframe, (extract(epoch FROM s."timestamp") * 1000)::float8 AS t,
         (extract(epoch FROM ${TRIGGER_TIME_SQL}) * 1000)::float8 AS trigger_t, s.signal_type, s.signal_price, s.details, tf.len_ms,
         ${writtenSinceSql('s', '$6')} AS fresh
    FROM unnest($2::text[], $3::float8[]) AS tf(name, len_ms)
    JOIN detected_signals s ON s.timeframe = tf.name
   WHERE s.contract_id = ANY($1::text[])
     -- a signal is about its trigger bar or an earlier one
     AND s."timestamp" <= to_timestamp(($5::float8 - tf.len_ms) / 1000)) AS x
 WHERE x.trigger_t + x.len_ms > $4::float8 AND x.trigger_t + x.len_ms <= $5::float8`;

interface BarRow {
  contract_id: string;
  timeframe: string;
  t: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  fresh: boolean;
}

interface SignalRow {
  analyzer_id: string;
  contract_id: string;
  timeframe: string;
  t: number;
  trigger_t: number;
  signal_type: string;
  signal_price: number | null;
  details: Record<string, unknown>;
  len_ms: number;
  fresh: boolean;
}

export interface EventsRead {
  /** Unordered (the caller orders them canonically). */
  readonly events: EngineEvent[];
  /** The earliest knownAt of an event written since the `since` position (undefined: none, or no position). */
  readonly writtenSinceFrom: number | undefined;
}

/**
 * Closed bars and signals of the scope known in (afterMs, throughMs]; with `sinceXmin` (an
 * alerter_progress position), also where the earliest of them written since that position is known.
 */
export async function readEvents(
  pool: Pool,
  scope: EvaluationScope,
  afterMs: number,
  throughMs: number,
  sinceXmin?: string,
): Promise<EventsRead> {
  if (scope.series.length === 0 || !(throughMs > afterMs)) return { events: [], writtenSinceFrom: undefined };
  const args = [
    scope.contracts,
    scope.timeframes.map((t) => t.timeframe),
    scope.timeframes.map((t) => t.lengthMs),
    Number.isFinite(afterMs) ? afterMs : -8.64e15,
    throughMs,
    sinceXmin ?? null,
  ];
  const [bars, signals] = await Promise.all([pool.query<BarRow>(BARS, args), pool.query<SignalRow>(SIGNALS, args)]);
  const wanted = new Set(scope.series.map((s) => `${s.contractId}|${s.timeframe}`));
  const out: EngineEvent[] = [];
  const lengths = new Map(scope.timeframes.map((t) => [t.timeframe, t.lengthMs]));
  let writtenSinceFrom: number | undefined;
  const written = (knownAt: number): void => {
    writtenSinceFrom = Math.min(writtenSinceFrom ?? Infinity, knownAt);
  };
  for (const r of bars.rows) {
    if (!wanted.has(`${r.contract_id}|${r.timeframe}`)) continue;
    if (r.fresh) written(r.t + (lengths.get(r.timeframe) ?? 0));
    const bar: BarEvent = {
      kind: 'bar',
      contractId: r.contract_id,
      timeframe: r.timeframe,
      bar: { time: r.t, open: r.open, high: r.high, low: r.low, close: r.close, volume: r.volume },
    };
    out.push(bar);
  }
  for (const r of signals.rows) {
    if (!wanted.has(`${r.contract_id}|${r.timeframe}`)) continue;
    if (r.fresh) written(r.trigger_t + r.len_ms);
    const signal: SignalEvent = {
      kind: 'signal',
      analyzerId: r.analyzer_id,
      contractId: r.contract_id,
      timeframe: r.timeframe,
      barTime: r.t,
      triggerTime: r.trigger_t,
      type: r.signal_type,
      price: r.signal_price,
      details: r.details,
    };
    out.push(signal);
  }
  return { events: out, writtenSinceFrom };
}

/**
 * The first knownAt whose events may not all be stored yet (exclusive bound): for each series with a
 * closed bar, its next bar's close (last open + 2 lengths); for each analyzer target with a watermark,
 * the close of the bar after its last analysed one. Series and targets with nothing stored yet do not
 * hold it back (their first data, if late, is evaluated again from its instant). Undefined: nothing stored.
 */
export async function readHorizon(pool: Pool, scope: EvaluationScope): Promise<number | undefined> {
  if (scope.series.length === 0) return undefined;
  // Both reads at once (two connections): one round trip on the path from a stored signal to its alert.
  const [{ rows: bars }, marks] = await Promise.all([
    pool.query<{ c: string; tf: string; t: number | null }>(
      `SELECT s.c, s.tf, (SELECT (extract(epoch FROM max(b."timestamp")) * 1000)::float8 FROM ohlc_bars b
          WHERE b.contract_id = s.c AND b.timeframe = s.tf AND b.is_closed) AS t
         FROM unnest($1::text[], $2::text[]) AS s(c, tf)`,
      [scope.series.map((s) => s.contractId), scope.series.map((s) => s.timeframe)],
    ),
    readTargetMarks(pool, scope),
  ]);
  let horizon = Infinity;
  scope.series.forEach((s, i) => {
    const t = bars[i]?.t;
    if (t !== null && t !== undefined) horizon = Math.min(horizon, t + 2 * s.lengthMs);
  });
  for (const t of scope.targets) {
    const mark = marks.get(`${t.analyzerId}|${t.contractId}|${t.timeframe}`);
    if (mark !== undefined) horizon = Math.min(horizon, mark + 2 * t.lengthMs);
  }
  return Number.isFinite(horizon) ? horizon : undefined;
}

/** The analyzer targets' watermarks (epoch ms) by analyzer|contract|timeframe. */
async function readTargetMarks(pool: Pool, scope: EvaluationScope): Promise<Map<string, number>> {
  if (scope.targets.length === 0) return new Map();
  const { rows } = await pool.query<{ a: string; c: string; tf: string; t: number }>(
    `SELECT analyzer_id AS a, contract_id AS c, timeframe AS tf, (extract(epoch FROM last_processed_timestamp) * 1000)::float8 AS t
       FROM analyzer_watermarks WHERE contract_id = ANY($1::text[]) AND analyzer_id = ANY($2::text[])`,
    [scope.contracts, [...new Set(scope.targets.map((t) => t.analyzerId))]],
  );
  return new Map(rows.map((r) => [`${r.a}|${r.c}|${r.tf}`, r.t]));
}

/** The knownAt of the first closed bar of the scope (where evaluation starts by default). */
export async function readFirstKnownAt(pool: Pool, scope: EvaluationScope): Promise<number | undefined> {
  if (scope.series.length === 0) return undefined;
  const { rows } = await pool.query<{ t: number | null }>(
    `SELECT min((SELECT (extract(epoch FROM min(b."timestamp")) * 1000)::float8 + s.len FROM ohlc_bars b
        WHERE b.contract_id = s.c AND b.timeframe = s.tf AND b.is_closed)) AS t
       FROM unnest($1::text[], $2::text[], $3::float8[]) AS s(c, tf, len)`,
    [scope.series.map((s) => s.contractId), scope.series.map((s) => s.timeframe), scope.series.map((s) => s.lengthMs)],
  );
  return rows[0]?.t ?? undefined;
}

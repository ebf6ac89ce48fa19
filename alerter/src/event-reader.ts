// Reads the rule engine's input from the tables: closed bars and stored signals of the scope whose
// knownAt lies in a range, and how far the stored data is complete (the horizon).
import type { BarEvent, EngineEvent, SignalEvent } from '@barstream/core';
import type { Pool } from '@barstream/core/node';
import { writtenSinceSql } from './evaluated-xmin.ts';
import { evaluationHorizon, type HorizonSeries } from './evaluation-horizon.ts';
import type { EvaluationScope } from './evaluation-scope.ts';
import { TRIGGER_TIME_SQL } from './signal-trigger.ts';

// Rows whose knownAt may lie in ($4, $5] by their timeframe's bounds of open → close; the exact close
// (the calendar's, for day and longer) is checked on each row read.
const BARS = `
SELECT b.contract_id, b.timeframe, (extract(epoch FROM b."timestamp") * 1000)::float8 AS t,
       b.open, b.high, b.low, b.close, b.volume, ${writtenSinceSql('b', '$7')} AS fresh
  FROM unnest($2::text[], $3::float8[], $4::float8[]) AS tf(name, min_ms, max_ms)
  JOIN ohlc_bars b ON b.timeframe = tf.name
 WHERE b.contract_id = ANY($1::text[]) AND b.is_closed
   AND b."timestamp" > to_timestamp(($5::float8 - tf.max_ms) / 1000)
   AND b."timestamp" <= to_timestamp(($6::float8 - tf.min_ms) / 1000)`;

const SIGNALS = `
SELECT * FROM (
  SELECT s.analyzer_id, s.contract_id, s.timeframe, (extract(epoch FROM s."timestamp") * 1000)::float8 AS t,
         (extract(epoch FROM ${TRIGGER_TIME_SQL}) * 1000)::float8 AS trigger_t, s.signal_type, s.signal_price, s.details,
         tf.min_ms, tf.max_ms, ${writtenSinceSql('s', '$7')} AS fresh
    FROM unnest($2::text[], $3::float8[], $4::float8[]) AS tf(name, min_ms, max_ms)
    JOIN detected_signals s ON s.timeframe = tf.name
   WHERE s.contract_id = ANY($1::text[])
     -- a signal is about its trigger bar or an earlier one
     AND s."timestamp" <= to_timestamp(($6::float8 - tf.min_ms) / 1000)) AS x
 WHERE x.trigger_t + x.max_ms > $5::float8 AND x.trigger_t + x.min_ms <= $6::float8`;

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
  const after = Number.isFinite(afterMs) ? afterMs : -8.64e15;
  const args = [
    scope.contracts,
    scope.timeframes.map((t) => t.timeframe),
    scope.timeframes.map((t) => t.minLengthMs),
    scope.timeframes.map((t) => t.maxLengthMs),
    after,
    throughMs,
    sinceXmin ?? null,
  ];
  const [bars, signals] = await Promise.all([pool.query<BarRow>(BARS, args), pool.query<SignalRow>(SIGNALS, args)]);
  const wanted = new Set(scope.series.map((s) => `${s.contractId}|${s.timeframe}`));
  const inRange = (knownAt: number): boolean => knownAt > after && knownAt <= throughMs;
  const out: EngineEvent[] = [];
  let writtenSinceFrom: number | undefined;
  for (const r of bars.rows) {
    if (!wanted.has(`${r.contract_id}|${r.timeframe}`)) continue;
    const knownAt = scope.closeTimeOf(r.timeframe, r.t, r.contract_id);
    if (!inRange(knownAt)) continue;
    if (r.fresh) writtenSinceFrom = Math.min(writtenSinceFrom ?? Infinity, knownAt);
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
    const knownAt = scope.closeTimeOf(r.timeframe, r.trigger_t, r.contract_id);
    if (!inRange(knownAt)) continue;
    if (r.fresh) writtenSinceFrom = Math.min(writtenSinceFrom ?? Infinity, knownAt);
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
 * The first knownAt whose events may not all be stored yet (exclusive bound; evaluation-horizon.ts):
 * each series' next bar's close, each analyzer target's next analysed bar's close, leaving out the
 * series that went quiet while others moved on. Undefined: nothing stored.
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
  const series = scope.series.map((s, i): HorizonSeries => {
    const t = bars[i]?.t ?? undefined;
    const targetNextCloses: number[] = [];
    for (const target of scope.targets) {
      if (target.contractId !== s.contractId || target.timeframe !== s.timeframe) continue;
      const mark = marks.get(`${target.analyzerId}|${target.contractId}|${target.timeframe}`);
      if (mark !== undefined) targetNextCloses.push(scope.nextCloseOf(s.timeframe, mark, s.contractId));
    }
    return {
      lastClose: t === undefined ? undefined : scope.closeTimeOf(s.timeframe, t, s.contractId),
      nextClose: t === undefined ? undefined : scope.nextCloseOf(s.timeframe, t, s.contractId),
      lengthMs: s.quietAfterMs,
      targetNextCloses,
    };
  });
  return evaluationHorizon(series).horizon;
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
    `SELECT (SELECT (extract(epoch FROM min(b."timestamp")) * 1000)::float8 FROM ohlc_bars b
        WHERE b.contract_id = s.c AND b.timeframe = s.tf AND b.is_closed) AS t
       FROM unnest($1::text[], $2::text[]) AS s(c, tf)`,
    [scope.series.map((s) => s.contractId), scope.series.map((s) => s.timeframe)],
  );
  let first: number | undefined;
  scope.series.forEach((s, i) => {
    const t = rows[i]?.t;
    if (t !== null && t !== undefined) first = Math.min(first ?? Infinity, scope.closeTimeOf(s.timeframe, t, s.contractId));
  });
  return first;
}

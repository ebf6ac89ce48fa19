// Reads what a detector's score needs over a labelled range (the labels, the series' bar times and
// the detector's trend starts) with one SQL text per input, and scores it. The same SQL runs through
// a pg pool (the analyzer CLI) and through Prisma's raw queries (web), behind `Queryable`.
import { z } from 'zod';
import { type Detector, signalDirection, smcDirection } from '../../scoring/detectors.ts';
import { type ScoreReport, scoreReport } from '../../scoring/score-report.ts';
import type { ScoredRangeInfo } from '../../scoring/score-wire.ts';
import { directionOfLabelType, TREND_LABEL_TYPES, type TrendPoint } from '../../scoring/trend-direction.ts';
import { formatTimeframe, type Timeframe } from '../../timeframe.ts';

/** What both a pg Pool and a Prisma adapter can do: run one parameterised statement. */
export interface Queryable {
  query(text: string, values: readonly unknown[]): Promise<{ rows: unknown[] }>;
}

export interface ScoreRangeQuery {
  readonly contractId: string;
  readonly timeframe: Timeframe;
  readonly detector: Detector;
  /** detected_signals.analyzer_id for a signal detector (default: the detector's), smc_events.study_id
   * for smc_choch (default: every study). */
  readonly analyzerId: string | undefined;
  /** Only this author's labels; undefined: every author's. */
  readonly author: string | undefined;
  readonly k: number;
  /** The range scored; each bound defaults to the first / last label's bar. */
  readonly from: Date | undefined;
  readonly to: Date | undefined;
}

/** The score and what was scored; `from`/`to` null when there are no labels and no range was given. */
export interface ScoredRange extends ScoreReport, ScoredRangeInfo {}

export const SCORE_LABELS_SQL = `SELECT "timestamp", label_type FROM trend_labels
 WHERE contract_id = $1 AND timeframe = $2 AND ($3::text IS NULL OR author = $3)
   AND ($4::timestamptz IS NULL OR "timestamp" >= $4) AND ($5::timestamptz IS NULL OR "timestamp" <= $5)
 ORDER BY "timestamp"`;

export const SCORE_BARS_SQL = `SELECT "timestamp" FROM ohlc_bars
 WHERE contract_id = $1 AND timeframe_unit = $2 AND timeframe_value = $3 AND "timestamp" BETWEEN $4 AND $5
 ORDER BY "timestamp"`;

/** A signal detector's trend starts: one analyzer's rows of its two signal types. */
export const SCORE_SIGNALS_SQL = `SELECT "timestamp", signal_type FROM detected_signals
 WHERE contract_id = $1 AND timeframe = $2 AND analyzer_id = $3 AND signal_type IN ($4, $5)
   AND "timestamp" BETWEEN $6 AND $7
 ORDER BY "timestamp"`;

/** SMC CHoCH: smc_events rows of kind 'choch' at their swing bar (bar_time), direction +1 / -1, of
 * one study or (study_id NULL) every study of the contract and timeframe. */
export const SCORE_SMC_SQL = `SELECT bar_time, direction FROM smc_events
 WHERE contract_id = $1 AND timeframe = $2 AND kind = $3 AND ($4::text IS NULL OR study_id = $4)
   AND bar_time BETWEEN $5 AND $6
 ORDER BY bar_time`;

const instant = z.union([z.date(), z.string().transform((s) => new Date(s))]);
const labelRow = z.object({ timestamp: instant, label_type: z.enum(TREND_LABEL_TYPES) });
const barRow = z.object({ timestamp: instant });
const signalRow = z.object({ timestamp: instant, signal_type: z.string() });
const smcRow = z.object({ bar_time: instant, direction: z.union([z.number(), z.null()]) });

async function detections(
  db: Queryable,
  q: ScoreRangeQuery,
  from: Date,
  to: Date,
): Promise<{ points: TrendPoint[]; analyzerId: string | null }> {
  const tf = formatTimeframe(q.timeframe);
  const detector = q.detector;
  if (detector.source === 'detected_signals') {
    const analyzerId = q.analyzerId ?? detector.defaultAnalyzer;
    const { rows } = await db.query(SCORE_SIGNALS_SQL, [
      q.contractId,
      tf,
      analyzerId,
      detector.signalTypes.up,
      detector.signalTypes.down,
      from,
      to,
    ]);
    const points: TrendPoint[] = [];
    for (const row of z.array(signalRow).parse(rows)) {
      const direction = signalDirection(detector, row.signal_type);
      if (direction) points.push({ time: row.timestamp.getTime(), direction });
    }
    return { points, analyzerId };
  }
  const { rows } = await db.query(SCORE_SMC_SQL, [q.contractId, tf, detector.kind, q.analyzerId ?? null, from, to]);
  const points: TrendPoint[] = [];
  for (const row of z.array(smcRow).parse(rows)) {
    const direction = smcDirection(row.direction);
    if (direction) points.push({ time: row.bar_time.getTime(), direction });
  }
  return { points, analyzerId: q.analyzerId ?? null };
}

/** Scores `q.detector` against the labels over the range (see matchDetections for the rule). */
export async function scoreRange(db: Queryable, q: ScoreRangeQuery): Promise<ScoredRange> {
  const tf = formatTimeframe(q.timeframe);
  const labelRows = z
    .array(labelRow)
    .parse((await db.query(SCORE_LABELS_SQL, [q.contractId, tf, q.author ?? null, q.from ?? null, q.to ?? null])).rows);
  const labels: TrendPoint[] = labelRows.map((r) => ({ time: r.timestamp.getTime(), direction: directionOfLabelType(r.label_type) }));
  const from = q.from ?? labelRows[0]?.timestamp ?? null;
  const to = q.to ?? labelRows[labelRows.length - 1]?.timestamp ?? null;
  const info = { contractId: q.contractId, timeframe: tf, detector: q.detector.id, author: q.author ?? null };
  if (from === null || to === null) {
    const empty = scoreReport({ labels: [], detections: [], barTimes: [] }, q.k);
    return {
      ...empty,
      ...info,
      from: null,
      to: null,
      bars: 0,
      analyzerId: q.detector.source === 'detected_signals' ? (q.analyzerId ?? q.detector.defaultAnalyzer) : (q.analyzerId ?? null),
    };
  }
  const { rows: bars } = await db.query(SCORE_BARS_SQL, [q.contractId, q.timeframe.unit, q.timeframe.value, from, to]);
  const barTimes = z
    .array(barRow)
    .parse(bars)
    .map((r) => r.timestamp.getTime());
  const found = await detections(db, q, from, to);
  const report = scoreReport({ labels, detections: found.points, barTimes }, q.k);
  return { ...report, ...info, from, to, bars: barTimes.length, analyzerId: found.analyzerId };
}

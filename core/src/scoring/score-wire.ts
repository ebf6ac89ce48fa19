// The JSON form of a scored range, the same for GET /api/trend-labels/score and
// `npm run analyzer -- score --json`: times ISO-8601 UTC, ratios null where undefined.
import { z } from 'zod';
import type { MatchResult } from './detection-matching.ts';
import { DETECTOR_IDS, type DetectorId } from './detectors.ts';
import type { ScoreMetrics } from './score-metrics.ts';
import type { ScoreReport } from './score-report.ts';

const ratio = z.number().min(0).max(1).nullable();
export const scoreMetricsSchema = z.object({
  tp: z.number().int(),
  fp: z.number().int(),
  fn: z.number().int(),
  precision: ratio,
  recall: ratio,
  f1: ratio,
});
const direction = z.enum(['up', 'down']);
export const scoredEventSchema = z.object({
  source: z.enum(['label', 'detection']),
  time: z.string(),
  direction,
  outcome: z.enum(['hit', 'miss', 'extra']),
  matched_time: z.string().nullable(),
  distance: z.number().int().nullable(),
});
export const matchResultSchema = z.object({
  k: z.number().int(),
  up: scoreMetricsSchema,
  down: scoreMetricsSchema,
  overall: scoreMetricsSchema,
  events: z.array(scoredEventSchema),
});
export const scoreResponseSchema = z.object({
  contract_id: z.string(),
  timeframe: z.string(),
  detector: z.enum(DETECTOR_IDS),
  analyzer_id: z.string().nullable(),
  author: z.string().nullable(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  bars: z.number().int(),
  exact: matchResultSchema,
  tolerant: matchResultSchema,
});
export type ScoreResponse = z.output<typeof scoreResponseSchema>;
export type WireMatchResult = z.output<typeof matchResultSchema>;
export type WireScoreMetrics = z.output<typeof scoreMetricsSchema>;

const iso = (ms: number): string => new Date(ms).toISOString();

function metrics(m: ScoreMetrics): z.output<typeof scoreMetricsSchema> {
  return { tp: m.tp, fp: m.fp, fn: m.fn, precision: m.precision, recall: m.recall, f1: m.f1 };
}

function match(r: MatchResult): z.output<typeof matchResultSchema> {
  return {
    k: r.k,
    up: metrics(r.up),
    down: metrics(r.down),
    overall: metrics(r.overall),
    events: r.events.map((e) => ({
      source: e.source,
      time: iso(e.time),
      direction: e.direction,
      outcome: e.outcome,
      matched_time: e.matchedTime === null ? null : iso(e.matchedTime),
      distance: e.distance,
    })),
  };
}

/** What was scored: the range and where the labels and detections came from. */
export interface ScoredRangeInfo {
  readonly contractId: string;
  readonly timeframe: string;
  readonly detector: DetectorId;
  readonly analyzerId: string | null;
  readonly author: string | null;
  readonly from: Date | null;
  readonly to: Date | null;
  readonly bars: number;
}

export function scoreWire(info: ScoredRangeInfo, report: ScoreReport): ScoreResponse {
  return {
    contract_id: info.contractId,
    timeframe: info.timeframe,
    detector: info.detector,
    analyzer_id: info.analyzerId,
    author: info.author,
    from: info.from?.toISOString() ?? null,
    to: info.to?.toISOString() ?? null,
    bars: info.bars,
    exact: match(report.exact),
    tolerant: match(report.tolerant),
  };
}

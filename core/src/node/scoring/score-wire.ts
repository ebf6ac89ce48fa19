// The JSON form of a scored range, the same for GET /api/trend-labels/score and
// `npm run analyzer -- score --json`: times ISO-8601 UTC, ratios null where undefined.
import { z } from 'zod';
import { DETECTOR_IDS, type DetectorId } from '../../scoring/detectors.ts';
import type { MatchResult } from '../../scoring/detection-matching.ts';
import type { ScoreMetrics } from '../../scoring/score-metrics.ts';
import { formatTimeframe } from '../../timeframe.ts';
import type { ScoredRange, ScoreRangeQuery } from './score-range.ts';

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

export function scoreWire(q: ScoreRangeQuery, scored: ScoredRange): ScoreResponse {
  return {
    contract_id: q.contractId,
    timeframe: formatTimeframe(q.timeframe),
    detector: q.detector.id satisfies DetectorId,
    analyzer_id: scored.analyzerId,
    author: q.author ?? null,
    from: scored.from?.toISOString() ?? null,
    to: scored.to?.toISOString() ?? null,
    bars: scored.bars,
    exact: match(scored.exact),
    tolerant: match(scored.tolerant),
  };
}

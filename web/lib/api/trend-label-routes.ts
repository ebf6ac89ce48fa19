// The read routes of /api/trend-labels* (list, CSV export, score), spread into the registry in
// routes.ts; the writes (POST, DELETE, import) are in write-routes.ts.
import { DEFAULT_SCORE_K, DETECTOR_IDS, DETECTORS, type Detector, isDetectorId, MAX_SCORE_K, type Timeframe } from '@barstream/core';
import { z } from 'zod';
import {
  analyzerIdSchema,
  checked,
  contractIdSchema,
  rangeFields,
  resolveRange,
  resolveTimeframe,
  timeframeFields,
} from './query-fields.ts';
import type { ApiRoute } from './api-route.ts';
import { authorSchema, scoreResponseSchema, trendLabelsResponseSchema } from './trend-label-schemas.ts';

export interface TrendLabelsQuery {
  readonly contractId: string;
  readonly timeframe: Timeframe;
  readonly from: Date | undefined;
  readonly to: Date | undefined;
  /** undefined: every author's labels. */
  readonly author: string | undefined;
}
export interface TrendLabelScoreQuery extends TrendLabelsQuery {
  readonly detector: Detector;
  readonly analyzerId: string | undefined;
  readonly k: number;
}

const labelFields = {
  contract_id: contractIdSchema,
  ...timeframeFields,
  ...rangeFields,
  author: authorSchema.describe('Only this author’s labels; absent: every author’s.').optional(),
};

function labelsQuery(q: z.output<z.ZodObject<typeof labelFields>>, ctx: z.RefinementCtx): TrendLabelsQuery {
  return checked(ctx, () => ({ contractId: q.contract_id, timeframe: resolveTimeframe(q), ...resolveRange(q), author: q.author }));
}

const trendLabelsQuery = z.object(labelFields).transform((q, ctx): TrendLabelsQuery => labelsQuery(q, ctx));

const scoreQuery = z
  .object({
    ...labelFields,
    detector: z
      .string({ error: (i) => (i.input === undefined ? 'is required' : 'is invalid') })
      .refine(isDetectorId, { message: `must be one of ${DETECTOR_IDS.join(', ')}` })
      .describe(`The detector scored: ${DETECTOR_IDS.join(', ')}.`),
    analyzer_id: analyzerIdSchema
      .describe(
        'detected_signals.analyzer_id (default cus_cds_trend_finder for trend, ema_cross for ema_cross); smc_events.study_id for smc_choch (default every study).',
      )
      .optional(),
    k: z
      .string()
      .regex(/^\d{1,4}$/, `must be a whole number of bars from 0 to ${MAX_SCORE_K}`)
      .transform(Number)
      .pipe(z.number().max(MAX_SCORE_K, `must be at most ${MAX_SCORE_K}`))
      .describe(`Tolerance in bars of the second score (the first is exact-bar); default ${DEFAULT_SCORE_K}.`)
      .default(DEFAULT_SCORE_K),
  })
  .transform((q, ctx): TrendLabelScoreQuery => ({
    ...labelsQuery(q, ctx),
    detector: DETECTORS[q.detector],
    analyzerId: q.analyzer_id,
    k: q.k,
  }));

function route<Q extends z.ZodType, R extends z.ZodType>(r: ApiRoute<Q, R>): ApiRoute<Q, R> {
  return r;
}

export const trendLabelRoutes = {
  trendLabels: route({
    path: '/api/trend-labels',
    query: trendLabelsQuery,
    response: trendLabelsResponseSchema,
    notFound: 'A timeframe that is not configured (`error.available` lists the configured ones).',
    summary: 'Trend-start labels',
    description:
      'Trend starts a trader labelled by hand on /trends, oldest first (at most 50000 in range), every author’s or one’s. POST here to label a bar, DELETE /api/trend-labels/{id} to remove a label.',
  }),
  trendLabelsExport: route({
    path: '/api/trend-labels/export',
    query: trendLabelsQuery,
    response: z.string().describe('CSV: contract_id,timeframe,timestamp,label_type,author,created_at'),
    contentType: 'text/csv',
    notFound: 'A timeframe that is not configured.',
    summary: 'Trend-start labels as CSV',
    description: 'The labels GET /api/trend-labels lists, as a CSV file that POST /api/trend-labels/import reads back.',
  }),
  trendLabelsScore: route({
    path: '/api/trend-labels/score',
    query: scoreQuery,
    response: scoreResponseSchema,
    notFound: 'A timeframe that is not configured.',
    summary: 'A detector scored against the labels',
    description:
      'Precision, recall and F1 of a detector’s trend starts against the labels of the range (default: first to last label), ' +
      'exact-bar and within ±k bars, per direction and overall, with every label and detection classified hit, miss or extra. ' +
      'Matching is one-to-one and nearest first: candidate pairs (same direction, at most k bars apart) are taken by distance, ' +
      'then earlier label, then earlier detection.',
  }),
};

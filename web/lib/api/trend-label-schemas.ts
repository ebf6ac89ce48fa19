// Wire shapes of /api/trend-labels*: a stored label, the list, the write bodies and the import answer.
import { MAX_AUTHOR_LENGTH, TREND_LABEL_TYPES } from '@barstream/core';
import { z } from 'zod';
import { contractIdSchema, instantSchema } from './query-fields.ts';

export { scoreResponseSchema, type ScoreResponse } from '@barstream/core';

export const wireTrendLabelSchema = z
  .object({
    label_id: z.number().int().describe('Id to DELETE /api/trend-labels/{id} with.'),
    contract_id: z.string(),
    timeframe: z.string(),
    timestamp: z.string().describe('The labelled bar (ISO-8601 UTC).'),
    label_type: z.enum(TREND_LABEL_TYPES),
    author: z.string(),
    created_at: z.string(),
  })
  .meta({ title: 'TrendLabel' });
export type WireTrendLabel = z.infer<typeof wireTrendLabelSchema>;

export const trendLabelsResponseSchema = z.object({
  contract_id: z.string(),
  timeframe: z.string(),
  labels: z.array(wireTrendLabelSchema),
});
export type TrendLabelsResponse = z.infer<typeof trendLabelsResponseSchema>;

export const authorSchema = z
  .string()
  .trim()
  .max(MAX_AUTHOR_LENGTH, `must be at most ${MAX_AUTHOR_LENGTH} characters`)
  .describe("Who labelled; one label per bar and author ('' when unnamed).");

/** POST /api/trend-labels: the label of one bar by one author (replacing theirs on that bar). */
export const trendLabelBodySchema = z.object({
  contract_id: contractIdSchema,
  timeframe: z.string({ error: (i) => (i.input === undefined ? 'is required' : 'must be a timeframe like 5m') }),
  timestamp: z
    .union([z.string(), z.number().int().transform(String)], { error: 'is required: ISO-8601 or epoch milliseconds' })
    .pipe(instantSchema),
  label_type: z.enum(TREND_LABEL_TYPES, { error: `must be ${TREND_LABEL_TYPES.join(' or ')}` }),
  author: authorSchema.default(''),
});
export type TrendLabelBody = z.output<typeof trendLabelBodySchema>;

export const deletedResponseSchema = z.object({ deleted: wireTrendLabelSchema });

export const importResponseSchema = z.object({ imported: z.number().int().describe('Labels stored (created or replaced).') });

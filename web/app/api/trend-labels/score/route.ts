// GET /api/trend-labels/score: a detector's precision, recall and F1 against the labels.
import { apiGet } from '@/lib/api/route-handler.ts';
import { apiRoutes } from '@/lib/api/routes.ts';
import { trendLabelScore } from '@/lib/queries/trend-labels.ts';

export const dynamic = 'force-dynamic';

export const GET = apiGet(apiRoutes.trendLabelsScore, trendLabelScore);

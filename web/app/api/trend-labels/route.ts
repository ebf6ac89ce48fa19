// GET /api/trend-labels: labels of one contract and timeframe; POST: label a bar (create or replace).
import { apiGet } from '@/lib/api/route-handler.ts';
import { apiRoutes } from '@/lib/api/routes.ts';
import { jsonResponse } from '@/lib/api/http-errors.ts';
import { trendLabelBodySchema } from '@/lib/api/trend-label-schemas.ts';
import { readJsonBody } from '@/lib/api/write-handler.ts';
import { writeRoutes } from '@/lib/api/write-routes.ts';
import { saveTrendLabel, trendLabels } from '@/lib/queries/trend-labels.ts';

export const dynamic = 'force-dynamic';

export const GET = apiGet(apiRoutes.trendLabels, trendLabels);

export function POST(request: Request): Promise<Response> {
  const route = writeRoutes.createTrendLabel;
  return jsonResponse(async () => ({
    body: route.response.parse(await saveTrendLabel(await readJsonBody(request, trendLabelBodySchema))),
    status: route.status,
  }));
}

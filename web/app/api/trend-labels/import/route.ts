// POST /api/trend-labels/import: a labels CSV body, stored whole or not at all.
import { jsonResponse } from '@/lib/api/http-errors.ts';
import { readBodyText } from '@/lib/api/write-handler.ts';
import { writeRoutes } from '@/lib/api/write-routes.ts';
import { importTrendLabels } from '@/lib/queries/trend-labels.ts';

export const dynamic = 'force-dynamic';

export function POST(request: Request): Promise<Response> {
  const route = writeRoutes.importTrendLabels;
  return jsonResponse(async () => ({
    body: route.response.parse(await importTrendLabels(await readBodyText(request))),
    status: route.status,
  }));
}

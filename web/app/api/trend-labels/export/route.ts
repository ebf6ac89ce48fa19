// GET /api/trend-labels/export: the labels as CSV.
import { errorResponse } from '@/lib/api/http-errors.ts';
import { parseQuery } from '@/lib/api/parse-query.ts';
import { apiRoutes } from '@/lib/api/routes.ts';
import { trendLabelsCsv } from '@/lib/queries/trend-labels.ts';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  try {
    const query = parseQuery(apiRoutes.trendLabelsExport.query, new URL(request.url).searchParams);
    const name = `trend-labels-${query.contractId}.csv`;
    return new Response(await trendLabelsCsv(query), {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${name}"`,
        'cache-control': 'no-store',
      },
    });
  } catch (err) {
    return errorResponse(err);
  }
}

// GET /api/trend-starts: an analyzer's trend starts for one contract and timeframe.
import type { NextRequest } from 'next/server';
import { jsonResponse } from '@/lib/http-errors.ts';
import { parseTrendStartsQuery } from '@/lib/params.ts';
import { toTrendStartsResponse, trendStarts } from '@/lib/queries/trend-starts.ts';

export const dynamic = 'force-dynamic';

export function GET(request: NextRequest): Promise<Response> {
  return jsonResponse(async () => {
    const q = parseTrendStartsQuery(request.nextUrl.searchParams);
    return toTrendStartsResponse(q, await trendStarts(q));
  });
}

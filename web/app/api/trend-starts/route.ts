// GET /api/trend-starts: an analyzer's trend starts for one contract and timeframe.
import { apiGet } from '@/lib/api/route-handler.ts';
import { apiRoutes } from '@/lib/api/routes.ts';
import { trendStarts } from '@/lib/queries/signals.ts';

export const dynamic = 'force-dynamic';

export const GET = apiGet(apiRoutes.trendStarts, trendStarts);

// GET /api/indicators: indicator series computed from stored bars with core's indicator code.
import { apiGet } from '@/lib/api/route-handler.ts';
import { apiRoutes } from '@/lib/api/routes.ts';
import { indicators } from '@/lib/queries/indicators.ts';

export const dynamic = 'force-dynamic';

export const GET = apiGet(apiRoutes.indicators, indicators);

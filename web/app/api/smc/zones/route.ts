// GET /api/smc/zones: fair value gaps, order blocks and liquidity of one contract and timeframe.
import { apiGet } from '@/lib/api/route-handler.ts';
import { apiRoutes } from '@/lib/api/routes.ts';
import { smcZones } from '@/lib/queries/smc.ts';

export const dynamic = 'force-dynamic';

export const GET = apiGet(apiRoutes.smcZones, smcZones);

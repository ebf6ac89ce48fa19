// GET /api/smc/events: SMC swing points and structure breaks of one contract and timeframe.
import { apiGet } from '@/lib/api/route-handler.ts';
import { apiRoutes } from '@/lib/api/routes.ts';
import { smcEvents } from '@/lib/queries/smc.ts';

export const dynamic = 'force-dynamic';

export const GET = apiGet(apiRoutes.smcEvents, smcEvents);

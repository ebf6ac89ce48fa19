// GET /api/signals: every analyzer's (or one's) signals for one contract and timeframe.
import { apiGet } from '@/lib/api/route-handler.ts';
import { apiRoutes } from '@/lib/api/routes.ts';
import { signals } from '@/lib/queries/signals.ts';

export const dynamic = 'force-dynamic';

export const GET = apiGet(apiRoutes.signals, signals);

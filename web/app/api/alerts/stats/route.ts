// GET /api/alerts/stats: alert counts by rule, contract and day.
import { apiGet } from '@/lib/api/route-handler.ts';
import { apiRoutes } from '@/lib/api/routes.ts';
import { alertStats } from '@/lib/queries/alerts.ts';
import { db } from '@/lib/server/db.ts';

export const dynamic = 'force-dynamic';

export const GET = apiGet(apiRoutes.alertStats, (filter) => alertStats(db(), filter));

// GET /api/runs/{id}/trades: a page of the run's trades, oldest first.
import { apiGetAt, runIdPath } from '@/lib/api/path-handlers.ts';
import { apiRoutes } from '@/lib/api/routes.ts';
import { runTrades } from '@/lib/queries/run-records.ts';
import { db } from '@/lib/server/db.ts';

export const dynamic = 'force-dynamic';

export const GET = apiGetAt(apiRoutes.runTrades, runIdPath, (q, runId) => runTrades(db(), { ...q, runId }));

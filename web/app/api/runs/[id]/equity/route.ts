// GET /api/runs/{id}/equity: a page of the run's equity, oldest first.
import { apiGetAt, runIdPath } from '@/lib/api/path-handlers.ts';
import { apiRoutes } from '@/lib/api/routes.ts';
import { runEquity } from '@/lib/queries/run-records.ts';
import { db } from '@/lib/server/db.ts';

export const dynamic = 'force-dynamic';

export const GET = apiGetAt(apiRoutes.runEquity, runIdPath, (q, runId) => runEquity(db(), { ...q, runId }));

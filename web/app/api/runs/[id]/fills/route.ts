// GET /api/runs/{id}/fills: a page of the run's fills, oldest first.
import { apiGetAt, runIdPath } from '@/lib/api/path-handlers.ts';
import { apiRoutes } from '@/lib/api/routes.ts';
import { runFills } from '@/lib/queries/run-records.ts';
import { db } from '@/lib/server/db.ts';

export const dynamic = 'force-dynamic';

export const GET = apiGetAt(apiRoutes.runFills, runIdPath, (q, runId) => runFills(db(), { ...q, runId }));

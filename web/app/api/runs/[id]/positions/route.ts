// GET /api/runs/{id}/positions: a page of the run's positions, oldest first.
import { apiGetAt, runIdPath } from '@/lib/api/path-handlers.ts';
import { apiRoutes } from '@/lib/api/routes.ts';
import { runPositions } from '@/lib/queries/run-records.ts';
import { db } from '@/lib/server/db.ts';

export const dynamic = 'force-dynamic';

export const GET = apiGetAt(apiRoutes.runPositions, runIdPath, (q, runId) => runPositions(db(), { ...q, runId }));

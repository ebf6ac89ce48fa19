// GET /api/runs/{id}: the run, its config and its report.
import { apiGetAt, runIdPath } from '@/lib/api/path-handlers.ts';
import { apiRoutes } from '@/lib/api/routes.ts';
import { readRun } from '@/lib/queries/runs.ts';
import { db } from '@/lib/server/db.ts';

export const dynamic = 'force-dynamic';

export const GET = apiGetAt(apiRoutes.run, runIdPath, (_q, id) => readRun(db(), id));

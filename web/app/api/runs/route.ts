// GET /api/runs: runs with status, PnL and drawdown; POST: create a paper run.
import { apiGetAt, apiWriteAt, noPath } from '@/lib/api/path-handlers.ts';
import { apiRoutes } from '@/lib/api/routes.ts';
import { writeRoutes } from '@/lib/api/write-routes.ts';
import { createPaperRun } from '@/lib/queries/run-lifecycle.ts';
import { listRuns } from '@/lib/queries/runs.ts';
import { db } from '@/lib/server/db.ts';

export const dynamic = 'force-dynamic';

export const GET = apiGetAt(apiRoutes.runs, noPath, (q) => listRuns(db(), q));
export const POST = apiWriteAt(writeRoutes.createRun, noPath, (body) => createPaperRun(db(), body));

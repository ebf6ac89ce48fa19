// POST /api/runs/{id}/stop: stop a paper run (trade_update NOTIFY in the same transaction).
import { apiWriteAt, runIdPath } from '@/lib/api/path-handlers.ts';
import { writeRoutes } from '@/lib/api/write-routes.ts';
import { stopRun } from '@/lib/queries/run-lifecycle.ts';
import { readRun } from '@/lib/queries/runs.ts';
import { db } from '@/lib/server/db.ts';

export const dynamic = 'force-dynamic';

export const POST = apiWriteAt(writeRoutes.stopRun, runIdPath, async (_body, runId) => {
  await stopRun(db(), runId);
  return { run: (await readRun(db(), runId)).run };
});

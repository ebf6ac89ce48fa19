// POST /api/runs/{id}/emergency-stop: an emergency_stop command for one running run.
import { apiWriteAt, runIdPath } from '@/lib/api/path-handlers.ts';
import { writeRoutes } from '@/lib/api/write-routes.ts';
import { emergencyStopCommand, sendCommand } from '@/lib/queries/run-commands.ts';
import { db } from '@/lib/server/db.ts';

export const dynamic = 'force-dynamic';

export const POST = apiWriteAt(writeRoutes.emergencyStopRun, runIdPath, (body, runId) =>
  sendCommand(db(), runId, emergencyStopCommand(body)),
);

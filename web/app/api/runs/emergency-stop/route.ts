// POST /api/runs/emergency-stop: an emergency_stop command for every running run.
import { apiWriteAt, noPath } from '@/lib/api/path-handlers.ts';
import { writeRoutes } from '@/lib/api/write-routes.ts';
import { emergencyStopAll, emergencyStopCommand } from '@/lib/queries/run-commands.ts';
import { db } from '@/lib/server/db.ts';

export const dynamic = 'force-dynamic';

export const POST = apiWriteAt(writeRoutes.emergencyStopAll, noPath, (body) => emergencyStopAll(db(), emergencyStopCommand(body)));

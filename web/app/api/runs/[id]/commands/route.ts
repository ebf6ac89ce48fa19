// POST /api/runs/{id}/commands: a manual order, cancel or replace for a running run.
import { apiWriteAt, runIdPath } from '@/lib/api/path-handlers.ts';
import { writeRoutes } from '@/lib/api/write-routes.ts';
import { sendCommand } from '@/lib/queries/run-commands.ts';
import { db } from '@/lib/server/db.ts';

export const dynamic = 'force-dynamic';

export const POST = apiWriteAt(writeRoutes.runCommand, runIdPath, (command, runId) => sendCommand(db(), runId, command));

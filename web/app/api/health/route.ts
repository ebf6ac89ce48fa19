// GET /api/health: the web process is up; `database` says whether PostgreSQL answers.
import type { HealthResponse } from '@/lib/api-schemas.ts';
import { jsonResponse } from '@/lib/http-errors.ts';
import { databaseReachable } from '@/lib/queries/health.ts';

export const dynamic = 'force-dynamic';

export function GET(): Promise<Response> {
  return jsonResponse(async (): Promise<HealthResponse> => ({ ok: true, database: await databaseReachable() }));
}

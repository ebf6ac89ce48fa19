// GET /api/health: the web process is up; `database` says whether PostgreSQL answers.
import { apiGet } from '@/lib/api/route-handler.ts';
import { apiRoutes } from '@/lib/api/routes.ts';
import { databaseReachable } from '@/lib/queries/health.ts';

export const dynamic = 'force-dynamic';

export const GET = apiGet(apiRoutes.health, async () => ({ ok: true as const, database: await databaseReachable() }));

// GET /api/health: 200 with ok: true when the web process and PostgreSQL answer; 503 with
// ok: false when the database does not (a load balancer or supervisor reads the status).
import { apiGet } from '@/lib/api/route-handler.ts';
import { apiRoutes } from '@/lib/api/routes.ts';
import { databaseReachable } from '@/lib/queries/health.ts';

export const dynamic = 'force-dynamic';

export const GET = apiGet(
  apiRoutes.health,
  async () => {
    const database = await databaseReachable();
    return { ok: database, database };
  },
  { status: (body) => (body.ok ? 200 : 503) },
);

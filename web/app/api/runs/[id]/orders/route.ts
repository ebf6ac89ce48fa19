// GET /api/runs/{id}/orders: a page of the run's orders, oldest first.
import { apiGetAt, runIdPath } from '@/lib/api/path-handlers.ts';
import { apiRoutes } from '@/lib/api/routes.ts';
import { runOrders } from '@/lib/queries/run-records.ts';
import { db } from '@/lib/server/db.ts';

export const dynamic = 'force-dynamic';

export const GET = apiGetAt(apiRoutes.runOrders, runIdPath, (q, runId) => runOrders(db(), { ...q, runId }));

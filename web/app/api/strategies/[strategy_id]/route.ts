// GET /api/strategies/{strategy_id}: one strategy; PUT: replace its YAML; DELETE: remove it (API strategies only).
import { apiGetAt, apiWriteAt, strategyPath } from '@/lib/api/path-handlers.ts';
import { apiRoutes } from '@/lib/api/routes.ts';
import { writeRoutes } from '@/lib/api/write-routes.ts';
import { deleteStrategy, readStrategy, replaceStrategy } from '@/lib/queries/strategies.ts';
import { db } from '@/lib/server/db.ts';

export const dynamic = 'force-dynamic';

export const GET = apiGetAt(apiRoutes.strategy, strategyPath, (_q, id) => readStrategy(db(), id));
export const PUT = apiWriteAt(writeRoutes.replaceStrategy, strategyPath, (body, id) => replaceStrategy(db(), id, body));
export const DELETE = apiWriteAt(writeRoutes.deleteStrategy, strategyPath, (_body, id) => deleteStrategy(db(), id));

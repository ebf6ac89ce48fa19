// GET /api/strategies: every strategy; POST: create one from YAML.
import { noPath, apiGetAt, apiWriteAt } from '@/lib/api/path-handlers.ts';
import { apiRoutes } from '@/lib/api/routes.ts';
import { writeRoutes } from '@/lib/api/write-routes.ts';
import { createStrategy, listStrategies } from '@/lib/queries/strategies.ts';
import { db } from '@/lib/server/db.ts';

export const dynamic = 'force-dynamic';

export const GET = apiGetAt(apiRoutes.strategies, noPath, () => listStrategies(db()));
export const POST = apiWriteAt(writeRoutes.createStrategy, noPath, (body) => createStrategy(db(), body));

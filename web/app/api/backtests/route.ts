// POST /api/backtests: create a backtest run over stored bars → its run id (the trader runs it).
import { apiWriteAt, noPath } from '@/lib/api/path-handlers.ts';
import { writeRoutes } from '@/lib/api/write-routes.ts';
import { createBacktest } from '@/lib/queries/run-lifecycle.ts';
import { db } from '@/lib/server/db.ts';

export const dynamic = 'force-dynamic';

export const POST = apiWriteAt(writeRoutes.createBacktest, noPath, (body) => createBacktest(db(), body));

// GET /api/watchlist: watched contracts; POST: watch a stored contract.
import { apiGet } from '@/lib/api/route-handler.ts';
import { apiRoutes } from '@/lib/api/routes.ts';
import { apiWrite } from '@/lib/api/write-route-handler.ts';
import { writeRoutes } from '@/lib/api/write-routes.ts';
import { addToWatchlist, listWatchlist } from '@/lib/queries/watchlist.ts';
import { db } from '@/lib/server/db.ts';

export const dynamic = 'force-dynamic';

export const GET = apiGet(apiRoutes.watchlist, () => listWatchlist(db()));

export const POST = apiWrite(writeRoutes.addWatchlist, (body) => addToWatchlist(db(), body));

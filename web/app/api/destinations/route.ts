// GET /api/destinations: where alerts are sent (secrets never answered); POST: create one.
import { apiGet } from '@/lib/api/route-handler.ts';
import { apiRoutes } from '@/lib/api/routes.ts';
import { apiWrite } from '@/lib/api/write-route-handler.ts';
import { writeRoutes } from '@/lib/api/write-routes.ts';
import { createDestination, listDestinations } from '@/lib/queries/destinations.ts';
import { db } from '@/lib/server/db.ts';

export const dynamic = 'force-dynamic';

export const GET = apiGet(apiRoutes.destinations, () => listDestinations(db()));

export const POST = apiWrite(writeRoutes.createDestination, (body) => createDestination(db(), body));

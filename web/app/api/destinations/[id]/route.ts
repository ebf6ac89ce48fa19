// PUT /api/destinations/{id}: replace a destination (secret absent: kept); DELETE: delete it.
import { apiWrite } from '@/lib/api/write-route-handler.ts';
import { idParameter } from '@/lib/api/write-handler.ts';
import { writeRoutes } from '@/lib/api/write-routes.ts';
import { deleteDestination, replaceDestination } from '@/lib/queries/destinations.ts';
import { db } from '@/lib/server/db.ts';

export const dynamic = 'force-dynamic';

export const PUT = apiWrite(writeRoutes.replaceDestination, (body, params) => replaceDestination(db(), idParameter(params.id ?? ''), body));

export const DELETE = apiWrite(writeRoutes.deleteDestination, (_body, params) => deleteDestination(db(), idParameter(params.id ?? '')));

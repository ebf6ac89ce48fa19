// GET /api/alerts/{id}: one alert with every delivery attempt; PATCH: mark it read or unread.
import { jsonResponse } from '@/lib/api/http-errors.ts';
import { parseQuery } from '@/lib/api/parse-query.ts';
import { apiRoutes } from '@/lib/api/routes.ts';
import { apiWrite, type RouteContext } from '@/lib/api/write-route-handler.ts';
import { idParameter } from '@/lib/api/write-handler.ts';
import { writeRoutes } from '@/lib/api/write-routes.ts';
import { alertDetail, setAlertRead } from '@/lib/queries/alerts.ts';
import { db } from '@/lib/server/db.ts';

export const dynamic = 'force-dynamic';

export function GET(request: Request, context: RouteContext): Promise<Response> {
  const route = apiRoutes.alert;
  return jsonResponse(async () => {
    parseQuery(route.query, new URL(request.url).searchParams);
    const id = idParameter((await context.params).id ?? '');
    return { body: route.response.parse(await alertDetail(db(), id)) };
  });
}

export const PATCH = apiWrite(writeRoutes.markAlert, (body, params) => setAlertRead(db(), idParameter(params.id ?? ''), body.is_read));

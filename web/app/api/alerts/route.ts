// GET /api/alerts: alerts, newest first, filtered and paged; PATCH: mark every alert of a filter read or unread.
import { apiGet } from '@/lib/api/route-handler.ts';
import { apiRoutes } from '@/lib/api/routes.ts';
import { apiWrite } from '@/lib/api/write-route-handler.ts';
import { writeRoutes } from '@/lib/api/write-routes.ts';
import { listAlerts, setAlertsRead } from '@/lib/queries/alerts.ts';
import { db } from '@/lib/server/db.ts';

export const dynamic = 'force-dynamic';

export const GET = apiGet(apiRoutes.alerts, (q) => listAlerts(db(), q));

export const PATCH = apiWrite(writeRoutes.markAlerts, (body) => setAlertsRead(db(), body.filter, body.isRead));

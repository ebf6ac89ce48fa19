// What the /alerts page shows for its URL: the filter (the same parameters /api/alerts takes), the
// first page of alerts, the choices of the filter form, and where the broadcaster is; or why not.
import 'server-only';
import { BarstreamError } from '@barstream/core';
import type { AlertsResponse } from '../api/alert-schemas.ts';
import { parseQuery } from '../api/parse-query.ts';
import { apiRoutes } from '../api/routes.ts';
import type { BroadcasterEndpoint } from '../chart/broadcaster-endpoint.ts';
import { listAlerts } from '../queries/alerts.ts';
import { db } from '../server/db.ts';
import { webConfig } from '../server/config.ts';
import { broadcasterEndpoint, type SearchParams } from '../trends-view.ts';

/** The page's filter fields (the rest of /api/alerts' parameters are the list's own). */
export const ALERT_FILTER_FIELDS = ['contract_id', 'rule', 'severity', 'is_read', 'from', 'to'] as const;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export interface AlertsView {
  readonly filter: Readonly<Record<string, string>>;
  readonly initial: AlertsResponse;
  readonly contracts: readonly string[];
  readonly rules: readonly string[];
  readonly broadcaster: BroadcasterEndpoint | null;
  readonly error: string | null;
}

export async function loadAlertsView(params: SearchParams): Promise<AlertsView> {
  const filter: Record<string, string> = {};
  for (const field of ALERT_FILTER_FIELDS) {
    const v = params[field];
    const text = Array.isArray(v) ? v[0] : v;
    if (text !== undefined && text !== '') filter[field] = text;
  }
  // The form's `to` is a date: the whole day is meant, not its first instant.
  if (filter.to !== undefined && DATE_ONLY.test(filter.to)) filter.to = `${filter.to}T23:59:59.999Z`;
  const empty = { filter, initial: { alerts: [], next_before_id: null }, contracts: [], rules: [], broadcaster: null };
  try {
    const query = parseQuery(apiRoutes.alerts.query, new URLSearchParams(filter));
    const prisma = db();
    const [initial, contracts, rules] = await Promise.all([
      listAlerts(prisma, query),
      prisma.contract.findMany({ select: { id: true }, orderBy: { id: 'asc' } }),
      prisma.rule.findMany({ select: { name: true }, orderBy: { name: 'asc' } }),
    ]);
    return {
      filter,
      initial,
      contracts: contracts.map((c) => c.id),
      rules: rules.map((r) => r.name),
      broadcaster: broadcasterEndpoint(webConfig().settings),
      error: null,
    };
  } catch (err) {
    if (err instanceof BarstreamError) return { ...empty, error: err.message };
    throw err;
  }
}

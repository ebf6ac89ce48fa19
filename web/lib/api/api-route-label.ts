// The route an /api request is counted under in metrics: its registry path (`/api/trend-labels/{id}`
// for /api/trend-labels/7), so a metric has one series per route rather than one per URL.
import { API_PATHS } from './api-gate.ts';
import { pathPattern, writeRoutes } from './write-routes.ts';

const templates = Object.values(writeRoutes).map((r) => ({ path: r.path, pattern: pathPattern(r.path) }));

/** The route's registry path, or `unmatched` for a path no route serves (answered 404 by the gate). */
export function apiRouteLabel(pathname: string): string {
  if (API_PATHS.includes(pathname)) return pathname;
  return templates.find((t) => t.pattern.test(pathname))?.path ?? 'unmatched';
}

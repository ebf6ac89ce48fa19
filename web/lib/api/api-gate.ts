// What every /api/* request passes before a route handler (web/proxy.ts runs it): an unknown path
// is a JSON 404 listing the routes, a method other than GET/HEAD/OPTIONS (or, on a path of
// write-routes.ts, its POST/DELETE) a JSON 405 with `Allow`.
// Next answers those itself with an HTML page, an empty 405, or (TRACE, which no route module
// accepts) a 500.
import type { ApiError } from './response-schemas.ts';
import { apiRoutes } from './routes.ts';
import { pathPattern, writeMethodsOf } from './write-routes.ts';

/** Every route is a read: GET, and the HEAD and OPTIONS Next derives from it. */
export const ALLOWED_METHODS = ['GET', 'HEAD', 'OPTIONS'] as const;
export const ALLOW_HEADER = ALLOWED_METHODS.join(', ');

export const API_PATHS: readonly string[] = [...Object.values(apiRoutes).map((r) => r.path), '/api/openapi.json'];

const NO_STORE = { 'cache-control': 'no-store' };

/** Read routes with path parameters (/api/runs/{id}) match by pattern. */
const READ_PATTERNS = API_PATHS.filter((p) => p.includes('{')).map(pathPattern);

function isReadPath(pathname: string): boolean {
  return API_PATHS.includes(pathname) || READ_PATTERNS.some((p) => p.test(pathname));
}

/** The answer for a request that must not reach a route handler, or undefined to let it through. */
export function apiGate(method: string, pathname: string): Response | undefined {
  const writes = writeMethodsOf(pathname);
  const reads = isReadPath(pathname);
  if (writes.length > 0) {
    if (writes.includes(method) || (reads && (ALLOWED_METHODS as readonly string[]).includes(method))) return undefined;
    if (method === 'OPTIONS') return undefined;
    const allow = [...(reads ? ALLOWED_METHODS : ['OPTIONS']), ...writes].join(', ');
    const body: ApiError = {
      error: { code: 'method_not_allowed', message: `${method} is not supported by ${pathname}; allowed: ${allow}` },
    };
    return Response.json(body, { status: 405, headers: { ...NO_STORE, allow } });
  }
  if (!reads) {
    const body: ApiError = {
      error: { code: 'not_found', message: `no API route at ${pathname}; there are: ${API_PATHS.join(', ')}`, available: [...API_PATHS] },
    };
    return Response.json(body, { status: 404, headers: NO_STORE });
  }
  if (!(ALLOWED_METHODS as readonly string[]).includes(method)) {
    const body: ApiError = {
      error: { code: 'method_not_allowed', message: `${method} is not supported by ${pathname}; allowed: ${ALLOW_HEADER}` },
    };
    return Response.json(body, { status: 405, headers: { ...NO_STORE, allow: ALLOW_HEADER } });
  }
  return undefined;
}

// The registry of /api/* routes that change data (POST, DELETE), beside the read registry in
// routes.ts: the gate (api-gate.ts) lets their methods through, /api/openapi.json documents them.
import { z } from 'zod';
import { alertWriteRouteEntries } from './alert-write-routes.ts';
import { deletedResponseSchema, importResponseSchema, trendLabelBodySchema, wireTrendLabelSchema } from './trend-label-schemas.ts';

export interface ApiWriteRoute<B extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  readonly method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** OpenAPI form, path parameters in braces: /api/trend-labels/{id}. */
  readonly path: string;
  readonly summary: string;
  readonly description: string;
  /** The request body: JSON checked by this schema, or CSV text (checked by the handler). */
  readonly body: { readonly json: B } | { readonly csv: string } | null;
  readonly response: R;
  readonly status: number;
  readonly notFound?: string;
  /** What a 409 means for this route (absent: never 409). */
  readonly conflict?: string;
}

function writeRoute<B extends z.ZodType, R extends z.ZodType>(r: ApiWriteRoute<B, R>): ApiWriteRoute<B, R> {
  return r;
}

export const writeRoutes = {
  createTrendLabel: writeRoute({
    method: 'POST',
    path: '/api/trend-labels',
    body: { json: trendLabelBodySchema },
    response: wireTrendLabelSchema,
    status: 200,
    notFound: 'A timeframe that is not configured, or no bar of the contract and timeframe starts at `timestamp`.',
    summary: 'Label a bar as a trend start',
    description: 'Creates the label of one bar by one author, or replaces the one that author gave the bar; answers the stored label.',
  }),
  deleteTrendLabel: writeRoute({
    method: 'DELETE',
    path: '/api/trend-labels/{id}',
    body: null,
    response: deletedResponseSchema,
    status: 200,
    notFound: 'No label with this id.',
    summary: 'Remove a label',
    description: 'Deletes one label by its label_id and answers what was deleted.',
  }),
  importTrendLabels: writeRoute({
    method: 'POST',
    path: '/api/trend-labels/import',
    body: { csv: 'contract_id,timeframe,timestamp,label_type[,author][,created_at], as GET /api/trend-labels/export writes it.' },
    response: importResponseSchema,
    status: 200,
    summary: 'Import labels from CSV',
    description:
      'Stores every row (replacing the label an author gave the same bar) in one transaction, or, when any row is bad, nothing: ' +
      'a 400 whose `error.field` is `line <n>: <column>` and whose message lists every bad row.',
  }),
  ...alertWriteRouteEntries,
} as const;

/** A route path's pattern: `{id}` matches one path segment of digits, any other `{param}` one non-empty segment. */
export function pathPattern(path: string): RegExp {
  const escaped = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  const segment = (name: string): string => (name === 'id' ? '\\d{1,18}' : '[^/]{1,200}');
  return new RegExp(`^${escaped.replace(/\{([^}]+)\}/g, (_, name: string) => segment(name))}$`);
}

const patterns = Object.values(writeRoutes).map((r) => ({ method: r.method, pattern: pathPattern(r.path) }));

/** The write methods `pathname` takes (none for a read-only or unknown path). */
export function writeMethodsOf(pathname: string): string[] {
  return patterns.filter((p) => p.pattern.test(pathname)).map((p) => p.method);
}

// /api/openapi.json: an OpenAPI 3.1 document generated from the route registry's zod schemas, so
// the documented parameters and shapes are the ones the handlers enforce.
import { z } from 'zod';
import { SESSION_COOKIE } from './access-gate.ts';
import { ALLOW_HEADER } from './api-gate.ts';
import { apiErrorSchema } from './response-schemas.ts';
import { apiRoutes, type ApiRoute } from './routes.ts';
import { type ApiWriteRoute, writeRoutes } from './write-routes.ts';

type JsonSchema = Record<string, unknown>;

export interface OpenApiParameter {
  readonly name: string;
  readonly in: 'query';
  readonly required: boolean;
  readonly description?: string;
  readonly schema: JsonSchema;
}

/** JSON Schema 2020-12 (OpenAPI 3.1's dialect) without the per-document `$schema` key. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** One query parameter per property of the route's input object. */
export function queryParameters(query: z.ZodType): OpenApiParameter[] {
  const input = jsonSchema(query, 'input');
  const properties = (input.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((input.required ?? []) as string[]);
  return Object.entries(properties).map(([name, schema]) => {
    const { description, ...rest } = schema;
    return {
      name,
      in: 'query',
      required: required.has(name),
      schema: rest,
      ...(typeof description === 'string' ? { description } : {}),
    };
  });
}

function errorResponse(description: string): JsonSchema {
  return { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } } };
}

const METHOD_NOT_ALLOWED = {
  ...errorResponse(`Any method but ${ALLOW_HEADER}.`),
  headers: { Allow: { description: 'The methods every route takes.', schema: { type: 'string', const: ALLOW_HEADER } } },
};

/** The `{name}` parameters of a path: `id` is an id, `strategy_id` a strategy id, any other (`contract_id`) one segment of text. */
function pathParameters(path: string): JsonSchema[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema:
      m[1] === 'id'
        ? { type: 'integer', minimum: 1 }
        : m[1] === 'strategy_id'
          ? { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' }
          : { type: 'string' },
  }));
}
const RATE_LIMITED = {
  ...errorResponse('Over the rate limit of the key (or, without one, of the client address).'),
  headers: {
    'Retry-After': { description: 'Seconds until the window resets.', schema: { type: 'integer' } },
    RateLimit: {
      description: 'IETF draft: `"<policy>";r=<remaining>;t=<seconds to reset>` (on every answer).',
      schema: { type: 'string' },
    },
    'RateLimit-Policy': {
      description: 'IETF draft: `"<policy>";q=<quota>;w=<window seconds>` (on every answer).',
      schema: { type: 'string' },
    },
  },
};
const UNAUTHORIZED = errorResponse('No valid API key or session where the auth mode needs one (WWW-Authenticate: Bearer).');

/** Keys as bearer tokens, or the web's session cookie (docs/SECURITY.md). */
const SECURITY_SCHEMES = {
  apiKey: { type: 'http', scheme: 'bearer', description: 'An API key from `npm run keys -- create --name <name> --scope read|write`.' },
  session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'Set by signing in at /sign-in with a key.' },
};

function operation(route: ApiRoute): JsonSchema {
  const answer = { [route.contentType ?? 'application/json']: { schema: jsonSchema(route.response, 'output') } };
  const responses: JsonSchema = {
    200: { description: 'OK', content: answer },
    400: errorResponse('A parameter is missing or invalid, or not one this route takes; `error.field` names it (or them).'),
  };
  if (route.notFound !== undefined) responses[404] = errorResponse(route.notFound);
  responses[401] = { ...UNAUTHORIZED, description: 'auth.mode all only: no valid API key or session.' };
  responses[405] = METHOD_NOT_ALLOWED;
  responses[429] = RATE_LIMITED;
  responses[503] = route.unavailableAnswersBody
    ? { description: 'The database is not reachable (ok: false).', content: answer }
    : errorResponse('The database is not reachable.');
  return {
    summary: route.summary,
    description: route.description,
    operationId: route.path.replace(/^\/api\//, '').replace(/[^A-Za-z0-9]+(.)/g, (_, c: string) => c.toUpperCase()),
    // Open (auth.mode off or write), or a key or session (auth.mode all).
    security: [{}, { apiKey: [] }, { session: [] }],
    parameters: [...pathParameters(route.path), ...queryParameters(route.query)],
    responses,
  };
}

/** A POST/PUT/PATCH/DELETE of write-routes.ts: its body, path parameters and answers. */
function writeOperation(route: ApiWriteRoute): JsonSchema {
  const responses: JsonSchema = {
    [route.status]: { description: 'OK', content: { 'application/json': { schema: jsonSchema(route.response, 'output') } } },
    400: errorResponse('The body or a path parameter is invalid; `error.field` names it.'),
  };
  responses[401] = UNAUTHORIZED;
  responses[403] = errorResponse('The key (or the signed-in key) has scope read.');
  if (route.notFound !== undefined) responses[404] = errorResponse(route.notFound);
  if (route.conflict !== undefined) responses[409] = errorResponse(route.conflict);
  responses[429] = RATE_LIMITED;
  responses[503] = errorResponse('The database is not reachable.');
  const parameters = pathParameters(route.path);
  const body = route.body;
  return {
    summary: route.summary,
    description: route.description,
    // A write key, unless auth.mode is off.
    security: [{ apiKey: [] }, { session: [] }],
    operationId: `${route.method.toLowerCase()}${route.path.replace(/^\/api\//, '/').replace(/[^A-Za-z0-9]+(.)/g, (_, c: string) => c.toUpperCase())}`,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(body === null
      ? {}
      : {
          requestBody: {
            required: true,
            content:
              'json' in body
                ? { 'application/json': { schema: jsonSchema(body.json, 'input') } }
                : { 'text/csv': { schema: { type: 'string', description: body.csv } } },
          },
        }),
    responses,
  };
}

export function openApiDocument(serverUrl?: string): JsonSchema {
  const paths: Record<string, JsonSchema> = {};
  for (const route of Object.values(apiRoutes) as ApiRoute[]) paths[route.path] = { get: operation(route) };
  for (const route of Object.values(writeRoutes) as ApiWriteRoute[]) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: writeOperation(route) };
  }
  paths['/api/openapi.json'] = {
    get: {
      summary: 'This document',
      operationId: 'openapi',
      responses: { 200: { description: 'OpenAPI 3.1 document', content: { 'application/json': {} } }, 405: METHOD_NOT_ALLOWED },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'barstream API',
      version: '1',
      description:
        'Bars, signals and indicators from your own PostgreSQL. Times are ISO-8601 UTC; every list is oldest first. ' +
        'Any other path under /api answers a JSON 404 (ApiError, `error.available` lists the paths).',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    paths,
    components: { schemas: { ApiError: jsonSchema(apiErrorSchema, 'output') }, securitySchemes: SECURITY_SCHEMES },
  };
}

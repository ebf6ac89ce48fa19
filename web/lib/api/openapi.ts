// /api/openapi.json: an OpenAPI 3.1 document generated from the route registry's zod schemas, so
// the documented parameters and shapes are the ones the handlers enforce.
import { z } from 'zod';
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

/** The `{name}` parameters of a path: `id` is an id, any other (`contract_id`) one segment of text. */
function pathParameters(path: string): JsonSchema[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: m[1] === 'id' ? { type: 'integer', minimum: 1 } : { type: 'string' },
  }));
}

function operation(route: ApiRoute): JsonSchema {
  const answer = { [route.contentType ?? 'application/json']: { schema: jsonSchema(route.response, 'output') } };
  const responses: JsonSchema = {
    200: { description: 'OK', content: answer },
    400: errorResponse('A parameter is missing or invalid, or not one this route takes; `error.field` names it (or them).'),
  };
  if (route.notFound !== undefined) responses[404] = errorResponse(route.notFound);
  responses[405] = METHOD_NOT_ALLOWED;
  responses[503] = route.unavailableAnswersBody
    ? { description: 'The database is not reachable (ok: false).', content: answer }
    : errorResponse('The database is not reachable.');
  return {
    summary: route.summary,
    description: route.description,
    operationId: route.path.replace(/^\/api\//, '').replace(/[^A-Za-z0-9]+(.)/g, (_, c: string) => c.toUpperCase()),
    parameters: [...pathParameters(route.path), ...queryParameters(route.query)],
    responses,
  };
}

/** A POST/DELETE of write-routes.ts: its body, path parameters and answers. */
function writeOperation(route: ApiWriteRoute): JsonSchema {
  const responses: JsonSchema = {
    [route.status]: { description: 'OK', content: { 'application/json': { schema: jsonSchema(route.response, 'output') } } },
    400: errorResponse('The body or a path parameter is invalid; `error.field` names it.'),
  };
  if (route.notFound !== undefined) responses[404] = errorResponse(route.notFound);
  if (route.conflict !== undefined) responses[409] = errorResponse(route.conflict);
  responses[503] = errorResponse('The database is not reachable.');
  const parameters = pathParameters(route.path);
  const body = route.body;
  return {
    summary: route.summary,
    description: route.description,
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
    components: { schemas: { ApiError: jsonSchema(apiErrorSchema, 'output') } },
  };
}

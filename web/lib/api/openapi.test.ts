import { describe, expect, it } from 'vitest';
import { openApiDocument, queryParameters } from './openapi.ts';
import { apiRoutes } from './routes.ts';
import { writeRoutes } from './write-routes.ts';

describe('OpenAPI document', () => {
  const doc = openApiDocument() as {
    openapi: string;
    paths: Record<string, { get: { parameters?: { name: string; required: boolean }[]; responses: Record<string, unknown> } }>;
  };

  it('is OpenAPI 3.1 and lists every registry route', () => {
    expect(doc.openapi).toBe('3.1.0');
    for (const route of Object.values(apiRoutes)) expect(doc.paths[route.path]?.get.responses['200']).toBeDefined();
    expect(doc.paths['/api/openapi.json']).toBeDefined();
    expect(JSON.stringify(doc)).not.toContain('$schema');
  });

  it('documents the query parameters the handlers parse, with what is required', () => {
    const params = queryParameters(apiRoutes.indicators.query);
    expect(params.map((p) => p.name)).toEqual([
      'contract_id',
      'timeframe',
      'timeframe_unit',
      'timeframe_value',
      'from',
      'to',
      'names',
      'limit',
    ]);
    expect(params.filter((p) => p.required).map((p) => p.name)).toEqual(['contract_id']);
    expect(params.find((p) => p.name === 'limit')?.description).toMatch(/50000/);
    expect(doc.paths['/api/ohlc']?.get.responses['404']).toBeDefined();
    expect(doc.paths['/api/contracts']?.get.responses['404']).toBeUndefined();
  });

  it("documents 405 with Allow on every path, and health's 503 in its own shape", () => {
    for (const path of Object.keys(doc.paths).filter((p) => doc.paths[p]?.get)) {
      expect(doc.paths[path]?.get.responses['405']).toMatchObject({ headers: { Allow: {} } });
    }
    const unavailable = doc.paths['/api/health']?.get.responses['503'] as {
      content: { 'application/json': { schema: { properties: Record<string, unknown> } } };
    };
    expect(Object.keys(unavailable.content['application/json'].schema.properties)).toEqual(['ok', 'database']);
    expect(doc.paths['/api/signals']?.get.responses['404']).toMatchObject({ description: expect.stringMatching(/analyzer/) as unknown });
  });

  it('renders response shapes from the same schemas', () => {
    const ok = doc.paths['/api/ohlc']?.get.responses['200'] as {
      content: { 'application/json': { schema: { properties: { bars: { items: { required: string[] } } } } } };
    };
    expect(ok.content['application/json'].schema.properties.bars.items.required).toContain('is_closed');
  });

  it('declares the bearer key and session cookie schemes; every write operation needs one and documents 401, 403 and 429', () => {
    const full = openApiDocument() as {
      components: { securitySchemes: Record<string, { type: string; scheme?: string; in?: string; name?: string }> };
      paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, { headers?: Record<string, unknown> }> }>>;
    };
    expect(full.components.securitySchemes).toEqual({
      apiKey: expect.objectContaining({ type: 'http', scheme: 'bearer' }) as unknown,
      session: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'barstream_session' }) as unknown,
    });
    for (const route of Object.values(writeRoutes)) {
      const op = full.paths[route.path]?.[route.method.toLowerCase()];
      expect(op?.security).toEqual([{ apiKey: [] }, { session: [] }]);
      expect(Object.keys(op?.responses ?? {})).toEqual(expect.arrayContaining(['401', '403', '429']));
      expect(Object.keys(op?.responses['429']?.headers ?? {})).toEqual(['Retry-After', 'RateLimit', 'RateLimit-Policy']);
    }
    expect(full.paths['/api/ohlc']?.get?.security).toEqual([{}, { apiKey: [] }, { session: [] }]);
  });
});

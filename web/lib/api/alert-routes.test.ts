import { describe, expect, it } from 'vitest';
import { apiGate } from './api-gate.ts';
import { openApiDocument } from './openapi.ts';
import { pathPattern, writeMethodsOf } from './write-routes.ts';

type Operation = { parameters?: { name: string; in: string; schema: { type: string } }[]; responses: Record<string, unknown> };

describe('alert routes at the gate and in the OpenAPI document', () => {
  it('matches {id} as digits and other parameters as one segment', () => {
    expect(pathPattern('/api/watchlist/{contract_id}').test('/api/watchlist/SIM.MES')).toBe(true);
    expect(pathPattern('/api/watchlist/{contract_id}').test('/api/watchlist/a/b')).toBe(false);
    expect(writeMethodsOf('/api/alerts')).toEqual(['PATCH']);
    expect(writeMethodsOf('/api/alerts/7')).toEqual(['PATCH']);
    expect(writeMethodsOf('/api/rules/7')).toEqual(['PUT', 'PATCH', 'DELETE']);
    expect(writeMethodsOf('/api/watchlist/SIM.MES')).toEqual(['PATCH', 'DELETE']);
    expect(writeMethodsOf('/api/alerts/stats')).toEqual([]);
  });

  it('lets the reads and writes through and answers other methods 405 with Allow', () => {
    for (const [method, path] of [
      ['GET', '/api/alerts'],
      ['PATCH', '/api/alerts'],
      ['GET', '/api/alerts/stats'],
      ['GET', '/api/alerts/12'],
      ['PATCH', '/api/alerts/12'],
      ['POST', '/api/rules'],
      ['PUT', '/api/rules/3'],
      ['DELETE', '/api/rules/3'],
      ['POST', '/api/watchlist'],
      ['DELETE', '/api/watchlist/SIM.MES'],
      ['PUT', '/api/destinations/2'],
    ] as const) {
      expect(apiGate(method, path), `${method} ${path}`).toBeUndefined();
    }
    expect(apiGate('DELETE', '/api/alerts/12')?.headers.get('allow')).toBe('GET, HEAD, OPTIONS, PATCH');
    expect(apiGate('POST', '/api/alerts/stats')?.status).toBe(405);
    expect(apiGate('GET', '/api/rules/3')?.headers.get('allow')).toBe('OPTIONS, PUT, PATCH, DELETE');
    expect(apiGate('GET', '/api/alerts/abc')?.status).toBe(404);
  });

  it('documents path parameters, bodies and 409s', () => {
    const paths = openApiDocument().paths as Record<string, Record<string, Operation>>;
    expect(Object.keys(paths['/api/rules/{id}'] ?? {})).toEqual(['put', 'patch', 'delete']);
    expect(paths['/api/alerts/{id}']?.get?.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path' })]);
    expect(paths['/api/watchlist/{contract_id}']?.delete?.parameters?.[0]?.schema.type).toBe('string');
    expect(Object.keys(paths['/api/rules']?.post?.responses ?? {})).toEqual(['201', '400', '401', '403', '409', '429', '503']);
    expect(Object.keys(paths['/api/alerts']?.get?.responses ?? {})).toContain('200');
  });
});

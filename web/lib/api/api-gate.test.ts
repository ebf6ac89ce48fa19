import { describe, expect, it } from 'vitest';
import { ALLOW_HEADER, API_PATHS, apiGate } from './api-gate.ts';
import { apiRoutes } from './routes.ts';
import { writeRoutes } from './write-routes.ts';

describe('apiGate', () => {
  it('lets GET, HEAD and OPTIONS of every route through', () => {
    // A documented path's parameter ({id}) stands for a concrete id.
    const concrete = API_PATHS.map((p) => p.replace('{id}', '1'));
    for (const path of concrete) for (const method of ['GET', 'HEAD', 'OPTIONS']) expect(apiGate(method, path)).toBeUndefined();
    expect(API_PATHS).toEqual(expect.arrayContaining(Object.values(apiRoutes).map((r) => r.path)));
  });

  it.each(['TRACE', 'POST', 'PUT', 'DELETE', 'PATCH', 'CONNECT', 'PROPFIND'])('answers %s with 405 and Allow', async (method) => {
    const res = apiGate(method, '/api/ohlc');
    expect(res?.status).toBe(405);
    expect(res?.headers.get('allow')).toBe(ALLOW_HEADER);
    expect(await res?.json()).toEqual({
      error: { code: 'method_not_allowed', message: expect.stringContaining(`${method} is not supported`) as unknown },
    });
  });

  it('answers an unknown path with a JSON 404 listing the routes, whatever the method', async () => {
    for (const [method, path] of [
      ['GET', '/api/nope'],
      ['TRACE', '/api/ohlc/x'],
      ['GET', '/api'],
    ]) {
      const res = apiGate(method as string, path as string);
      expect(res?.status).toBe(404);
      const body = (await res?.json()) as { error: { code: string; available: string[] } };
      expect(body.error.code).toBe('not_found');
      expect(body.error.available).toContain('/api/ohlc');
    }
  });

  it('lets the method of every write route through on its path, whatever the method (PUT and PATCH included)', () => {
    for (const route of Object.values(writeRoutes)) {
      expect(apiGate(route.method, route.path.replace(/\{[^}]+\}/g, '12')), `${route.method} ${route.path}`).toBeUndefined();
    }
  });
});

import { ValidationError } from '@barstream/core';
import { describe, expect, it } from 'vitest';
import { apiGate } from './api-gate.ts';
import { openApiDocument } from './openapi.ts';
import { parseQuery } from './parse-query.ts';
import { runBodySchema } from './run-bodies.ts';
import { apiRoutes } from './routes.ts';
import { writeMethodsOf } from './write-routes.ts';

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.field;
    throw err;
  }
  throw new Error('expected a ValidationError');
}

describe('trading routes at the gate', () => {
  it('lets reads with path parameters and the writes through', () => {
    for (const [method, path] of [
      ['GET', '/api/runs'],
      ['POST', '/api/runs'],
      ['GET', '/api/runs/12'],
      ['GET', '/api/runs/12/trades'],
      ['GET', '/api/runs/12/equity'],
      ['POST', '/api/runs/12/start'],
      ['POST', '/api/runs/12/emergency-stop'],
      ['POST', '/api/runs/emergency-stop'],
      ['GET', '/api/strategies/mes-trend_1'],
      ['PUT', '/api/strategies/mes-trend_1'],
      ['DELETE', '/api/strategies/mes-trend_1'],
      ['POST', '/api/backtests'],
    ]) {
      expect(apiGate(method as string, path as string), `${method} ${path}`).toBeUndefined();
    }
  });

  it('answers unknown shapes 404 and wrong methods 405 with Allow', () => {
    expect(apiGate('GET', '/api/runs/abc')?.status).toBe(404);
    expect(apiGate('GET', '/api/strategies/Upper')?.status).toBe(404);
    expect(apiGate('GET', '/api/runs/1/nothing')?.status).toBe(404);
    const put = apiGate('PUT', '/api/runs/3');
    expect(put?.status).toBe(405);
    expect(apiGate('GET', '/api/backtests')?.headers.get('allow')).toBe('OPTIONS, POST');
    expect(apiGate('PATCH', '/api/strategies/a')?.headers.get('allow')).toBe('GET, HEAD, OPTIONS, PUT, DELETE');
    expect(writeMethodsOf('/api/runs/7/stop')).toEqual(['POST']);
  });

  it('documents path parameters, bodies and 409s', () => {
    const paths = openApiDocument().paths as Record<
      string,
      Record<string, { parameters?: { name: string; in: string; schema: { type: string } }[]; responses: Record<string, unknown> }>
    >;
    expect(paths['/api/runs/{id}/trades']?.get?.parameters?.map((p) => [p.name, p.in])).toEqual([
      ['id', 'path'],
      ['offset', 'query'],
      ['limit', 'query'],
    ]);
    expect(paths['/api/strategies/{strategy_id}']?.put?.parameters?.[0]?.schema.type).toBe('string');
    expect(Object.keys(paths['/api/strategies/{strategy_id}'] ?? {})).toEqual(['get', 'put', 'delete']);
    expect(paths['/api/strategies/{strategy_id}']?.put?.responses['409']).toBeDefined();
    expect(paths['/api/backtests']?.post?.responses['201']).toBeDefined();
  });
});

describe('trading query and body parameters', () => {
  it('pages with offset and limit, defaults 0 and 100', () => {
    expect(parseQuery(apiRoutes.runTrades.query, new URLSearchParams(''))).toEqual({ offset: 0, limit: 100 });
    expect(parseQuery(apiRoutes.runEquity.query, new URLSearchParams('offset=200&limit=50000'))).toEqual({ offset: 200, limit: 50_000 });
  });

  it.each([
    ['runTrades', 'offset=-1', 'offset'],
    ['runTrades', 'limit=0', 'limit'],
    ['runTrades', 'limit=50001', 'limit'],
    ['runTrades', 'page=2', 'page'],
    ['runs', 'status=done', 'status'],
    ['runs', 'kind=live', 'kind'],
  ] as const)('%s?%s → 400 naming %s', (route, query, field) => {
    expect(fieldOf(() => parseQuery(apiRoutes[route].query, new URLSearchParams(query)))).toBe(field);
  });

  it('takes exactly one of strategy_id and config_yaml for a run', () => {
    expect(runBodySchema.safeParse({ strategy_id: 'a' }).success).toBe(true);
    expect(runBodySchema.safeParse({}).error?.issues[0]?.path).toEqual(['strategy_id']);
    expect(runBodySchema.safeParse({ strategy_id: 'a', timeframe: '5 min' }).error?.issues[0]?.path).toEqual(['timeframe']);
  });
});

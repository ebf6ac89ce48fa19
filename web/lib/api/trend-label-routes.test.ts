import { DEFAULT_SCORE_K, ValidationError } from '@barstream/core';
import { describe, expect, it } from 'vitest';
import { apiGate } from './api-gate.ts';
import { openApiDocument } from './openapi.ts';
import { parseQuery } from './parse-query.ts';
import { apiRoutes } from './routes.ts';
import { trendLabelBodySchema } from './trend-label-schemas.ts';
import { pathPattern, writeMethodsOf } from './write-routes.ts';

const score = (s: string) => parseQuery(apiRoutes.trendLabelsScore.query, new URLSearchParams(s));

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.field;
    throw err;
  }
  throw new Error('expected a ValidationError');
}

describe('/api/trend-labels/score parameters', () => {
  it('reads the detector, k (default 2), author and range', () => {
    const q = score('contract_id=SIM.MES&timeframe=5m&detector=ema_cross&k=3&author=ann&from=2025-03-17');
    expect(q).toMatchObject({ contractId: 'SIM.MES', timeframe: { unit: 2, value: 5 }, k: 3, author: 'ann', analyzerId: undefined });
    expect(q.detector.id).toBe('ema_cross');
    expect(q.from).toEqual(new Date('2025-03-17T00:00:00Z'));
    expect(score('contract_id=X&timeframe=5m&detector=trend').k).toBe(DEFAULT_SCORE_K);
  });

  it.each([
    ['contract_id=X&timeframe=5m', 'detector'],
    ['contract_id=X&timeframe=5m&detector=macd', 'detector'],
    ['contract_id=X&timeframe=5m&detector=trend&k=-1', 'k'],
    ['contract_id=X&timeframe=5m&detector=trend&k=1.5', 'k'],
    ['contract_id=X&timeframe=5m&detector=trend&k=5000', 'k'],
    ['contract_id=X&detector=trend', 'timeframe'],
    ['contract_id=X&timeframe=5m&detector=trend&from=2025-03-18&to=2025-03-17', 'from'],
    ['contract_id=X&timeframe=5m&detector=trend&kk=1', 'kk'],
  ])('%s → 400 naming %s', (query, field) => {
    expect(fieldOf(() => score(query))).toBe(field);
  });
});

describe('POST /api/trend-labels body', () => {
  it('takes an ISO or epoch-ms bar time and defaults the author', () => {
    expect(
      trendLabelBodySchema.parse({ contract_id: 'X', timeframe: '5m', timestamp: 1742220000000, label_type: 'uptrend_start' }),
    ).toEqual({
      contract_id: 'X',
      timeframe: '5m',
      timestamp: new Date(1742220000000),
      label_type: 'uptrend_start',
      author: '',
    });
  });

  it.each([
    [{ timeframe: '5m', timestamp: '2025-03-17T14:00:00Z', label_type: 'uptrend_start' }, 'contract_id', /is required/],
    [{ contract_id: 'X', timeframe: '5m', timestamp: 'soon', label_type: 'uptrend_start' }, 'timestamp', /'soon'/],
    [
      { contract_id: 'X', timeframe: '5m', timestamp: '2025-03-17T14:00:00Z', label_type: 'up' },
      'label_type',
      /uptrend_start or downtrend_start/,
    ],
    [
      { contract_id: 'X', timeframe: '5m', timestamp: '2025-03-17T14:00:00Z', label_type: 'uptrend_start', author: 'a'.repeat(101) },
      'author',
      /at most 100/,
    ],
  ])('%j → names %s', (body, field, message) => {
    const result = trendLabelBodySchema.safeParse(body);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path.join('.')).toBe(field);
    expect(result.error?.issues[0]?.message).toMatch(message);
  });
});

describe('write routes at the gate and in the OpenAPI document', () => {
  it('match ids as one numeric segment only', () => {
    expect(pathPattern('/api/trend-labels/{id}').test('/api/trend-labels/12')).toBe(true);
    expect(pathPattern('/api/trend-labels/{id}').test('/api/trend-labels/export')).toBe(false);
    expect(writeMethodsOf('/api/trend-labels')).toEqual(['POST']);
    expect(writeMethodsOf('/api/ohlc')).toEqual([]);
  });

  it('lets reads and the writes of a path through and answers others 405 with Allow', async () => {
    for (const [method, path] of [
      ['GET', '/api/trend-labels'],
      ['POST', '/api/trend-labels'],
      ['DELETE', '/api/trend-labels/7'],
      ['POST', '/api/trend-labels/import'],
      ['GET', '/api/trend-labels/score'],
    ]) {
      expect(apiGate(method as string, path as string)).toBeUndefined();
    }
    const res = apiGate('PUT', '/api/trend-labels');
    expect(res?.status).toBe(405);
    expect(res?.headers.get('allow')).toBe('GET, HEAD, OPTIONS, POST');
    expect(apiGate('GET', '/api/trend-labels/import')?.headers.get('allow')).toBe('OPTIONS, POST');
    expect(apiGate('POST', '/api/trend-labels/score')?.status).toBe(405);
    expect(apiGate('DELETE', '/api/trend-labels/abc')?.status).toBe(404);
    expect(((await apiGate('DELETE', '/api/trend-labels/abc')?.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('documents each write with its body and answers', () => {
    const paths = openApiDocument().paths as Record<
      string,
      Record<
        string,
        {
          requestBody?: { content: Record<string, unknown> };
          responses: Record<string, unknown>;
          parameters?: { name: string; in: string }[];
        }
      >
    >;
    expect(Object.keys(paths['/api/trend-labels'] ?? {})).toEqual(['get', 'post']);
    expect(Object.keys(paths['/api/trend-labels/import']?.post?.requestBody?.content ?? {})).toEqual(['text/csv']);
    expect(paths['/api/trend-labels/{id}']?.delete?.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path' })]);
    expect(paths['/api/trend-labels/export']?.get?.responses['200']).toMatchObject({ content: { 'text/csv': {} } });
    expect(paths['/api/trend-labels/score']?.get?.responses['200']).toBeDefined();
  });
});

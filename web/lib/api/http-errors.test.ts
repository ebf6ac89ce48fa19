import { NotFoundError, ValidationError } from '@barstream/core';
import { describe, expect, it, vi } from 'vitest';
import { errorResponse, jsonResponse } from './http-errors.ts';

const logged: string[] = [];
vi.mock('../server/logger.ts', () => ({
  webLogger: () => ({
    warn: (_: unknown, m: string) => logged.push(`warn ${m}`),
    error: (_: unknown, m: string) => logged.push(`error ${m}`),
  }),
}));

const answer = async (err: unknown) => {
  const res = errorResponse(err);
  return { status: res.status, body: (await res.json()) as unknown };
};

describe('errorResponse', () => {
  it('answers bad input with 400 naming the field', async () => {
    expect(await answer(new ValidationError('limit', 'must be at most 50000'))).toEqual({
      status: 400,
      body: { error: { code: 'invalid_input', field: 'limit', message: 'limit: must be at most 50000' } },
    });
  });

  it('answers an unknown contract with 404', async () => {
    expect(await answer(new NotFoundError("contract 'X'"))).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });

  it('answers an unconfigured choice with 404 listing the configured ones', async () => {
    expect(await answer(new NotFoundError("timeframe '2m'", ['1m', '5m']))).toEqual({
      status: 404,
      body: { error: { code: 'not_found', message: "timeframe '2m' not found; there are: 1m, 5m", available: ['1m', '5m'] } },
    });
  });

  it('answers an unreachable database with 503, from Prisma model queries and raw queries alike', async () => {
    expect((await answer(Object.assign(new Error('x'), { code: 'P1001' }))).status).toBe(503);
    const raw = Object.assign(new Error('Raw query failed'), {
      code: 'P2010',
      meta: { driverAdapterError: { cause: { kind: 'DatabaseNotReachable' } } },
    });
    expect(await answer(raw)).toMatchObject({ status: 503, body: { error: { code: 'database_unavailable' } } });
  });

  it("answers 503 for the bar reader's pg errors: refused, lost, server shutting down", async () => {
    for (const err of [
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('connection failure'), { code: '08006' }),
      new Error('Connection terminated unexpectedly'),
    ]) {
      expect((await answer(err)).status).toBe(503);
    }
    // A syntax error (SQLSTATE 42601) is our bug, not an outage.
    expect((await answer(Object.assign(new Error('syntax error'), { code: '42601' }))).status).toBe(500);
  });

  it('hides anything else behind an opaque 500 and logs it', async () => {
    logged.length = 0;
    expect(await answer(new TypeError('secret detail'))).toEqual({
      status: 500,
      body: { error: { code: 'internal', message: 'internal server error' } },
    });
    expect(logged).toEqual(['error request failed']);
  });

  it('marks answers uncacheable', async () => {
    const ok = await jsonResponse(async () => ({ body: { a: 1 } }));
    expect(ok.headers.get('cache-control')).toBe('no-store');
    expect(
      (
        await jsonResponse(async () => {
          throw new ValidationError('from', 'bad');
        })
      ).headers.get('cache-control'),
    ).toBe('no-store');
    const text = await jsonResponse(async () => ({ text: '{"a":1}' }));
    expect([text.headers.get('cache-control'), text.headers.get('content-type'), await text.text()]).toEqual([
      'no-store',
      'application/json',
      '{"a":1}',
    ]);
  });
});

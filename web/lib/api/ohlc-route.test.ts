// /api/ohlc's handler as the route builds it (apiGetJsonText with the registry's route): a bad
// `limit` is a 400 naming it, before any work; a large answer goes out gzipped when asked.
import { describe, expect, it, vi } from 'vitest';
import { OHLC_MAX_LIMIT } from './query-fields.ts';
import { apiGetJsonText } from './route-handler.ts';
import { apiRoutes } from './routes.ts';

vi.mock('../server/logger.ts', () => ({ webLogger: () => ({ warn: () => undefined, error: () => undefined }) }));

const worked: number[] = [];
const handler = apiGetJsonText(apiRoutes.ohlc, async (query) => {
  worked.push(query.limit);
  return JSON.stringify({ contract_id: query.contractId, timeframe: '1m', bars: Array.from({ length: 2_000 }, () => ({ close: 1 })) });
});
const get = (query: string, headers: Record<string, string> = {}) =>
  handler(new Request(`http://localhost/api/ohlc?${query}`, { headers }));

describe('GET /api/ohlc', () => {
  it.each(['0', '-5', 'ten', '1e5', String(OHLC_MAX_LIMIT + 1)])('limit=%s → 400 naming limit', async (limit) => {
    worked.length = 0;
    const res = await get(`contract_id=SIM.MES&timeframe=1m&limit=${limit}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; field: string; message: string } };
    expect(body.error).toMatchObject({ code: 'invalid_input', field: 'limit' });
    expect(body.error.message).toMatch(/^limit: must be/);
    expect(worked).toEqual([]);
  });

  it(`takes limit=${OHLC_MAX_LIMIT} and answers gzip when asked`, async () => {
    const res = await get(`contract_id=SIM.MES&timeframe=1m&limit=${OHLC_MAX_LIMIT}`, { 'accept-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(worked).toEqual([OHLC_MAX_LIMIT]);
  });
});

// /api/ohlc's handler as the route builds it (apiGetJsonText with the registry's route): a bad
// `limit` is a 400 naming it, before any work; the largest limit is taken, and a stream is sent as is.
import { describe, expect, it, vi } from 'vitest';
import { OHLC_MAX_LIMIT } from './query-fields.ts';
import { apiGetJsonText } from './route-handler.ts';
import { apiRoutes } from './routes.ts';

vi.mock('../server/logger.ts', () => ({ webLogger: () => ({ warn: () => undefined, error: () => undefined }) }));

const worked: number[] = [];
const handler = apiGetJsonText(apiRoutes.ohlc, async (query) => {
  worked.push(query.limit);
  return JSON.stringify({ contract_id: query.contractId, timeframe: '1m', bars: [] });
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

  it(`takes limit=${OHLC_MAX_LIMIT}`, async () => {
    worked.length = 0;
    const res = await get(`contract_id=SIM.MES&timeframe=1m&limit=${OHLC_MAX_LIMIT}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(worked).toEqual([OHLC_MAX_LIMIT]);
  });

  it('sends a streamed answer as it is read', async () => {
    const parts = ['{"contract_id":"X","timeframe":"1m","bars":[', '{"a":1}', ',{"a":2}', ']}'];
    const streaming = apiGetJsonText(
      apiRoutes.ohlc,
      async () =>
        new ReadableStream<Uint8Array>({
          start(controller) {
            for (const part of parts) controller.enqueue(new TextEncoder().encode(part));
            controller.close();
          },
        }),
    );
    const res = await streaming(new Request('http://localhost/api/ohlc?contract_id=X&timeframe=1m&limit=60000'));
    expect([res.status, await res.text()]).toEqual([200, parts.join('')]);
  });
});

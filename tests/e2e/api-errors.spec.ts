// The errors a user reads from the API, against the production build started alone with
// `npm run start -w web` on WEB_HOST/WEB_PORT and a database that is not there (a closed port):
// everything here is decided before a query, except health and the 503 it reports.
import { request as httpRequest } from 'node:http';
import { expect, test } from '@playwright/test';
import { freePort } from './full-stack.ts';
import { buildWebIfStale, startWebOnly, type WebOnly } from './web-only.ts';

/** A loopback address other than 127.0.0.1 (Linux routes all of 127/8 to lo): binding only it
 * shows WEB_HOST is honoured, as 127.0.0.1 then refuses. */
const HOST = '127.0.0.2';
let web: WebOnly;
let port: number;
let base: string;

test.beforeAll(async () => {
  test.setTimeout(600_000);
  await buildWebIfStale();
  port = await freePort();
  base = `http://${HOST}:${port}`;
  const closedPort = await freePort();
  web = await startWebOnly(
    {
      WEB_HOST: HOST,
      WEB_PORT: String(port),
      DATABASE_URL: `postgresql://postgres:x@127.0.0.1:${closedPort}/barstream`,
      LOG_LEVEL: 'error',
    },
    `${base}/api/openapi.json`,
  );
});
test.afterAll(async () => {
  await web?.stop();
});

/** Any method, even those fetch refuses to send (TRACE). */
function send(method: string, path: string): Promise<{ status: number; allow: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: HOST, port, method, path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, allow: res.headers.allow, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('npm run start -w web listens on WEB_HOST:WEB_PORT only', async () => {
  expect((await fetch(`${base}/api/openapi.json`)).status).toBe(200);
  await expect(fetch(`http://127.0.0.1:${port}/api/openapi.json`)).rejects.toThrow();
});

test('/api/health answers 503 with ok: false while the database is unreachable', async () => {
  const res = await fetch(`${base}/api/health`);
  expect(res.status).toBe(503);
  expect(await res.json()).toEqual({ ok: false, database: false });
});

test('a read while the database is unreachable is a 503 that says so', async () => {
  const res = await fetch(`${base}/api/ohlc?contract_id=SIM.MES&timeframe=1m`);
  expect(res.status).toBe(503);
  expect(await res.json()).toMatchObject({ error: { code: 'database_unavailable' } });
});

test('any method but GET, HEAD and OPTIONS is a 405 with Allow, TRACE included, on every route', async () => {
  for (const path of [
    '/api/ohlc',
    '/api/contracts',
    '/api/health',
    '/api/signals',
    '/api/trend-starts',
    '/api/indicators',
    '/api/smc/events',
    '/api/smc/zones',
    '/api/openapi.json',
  ]) {
    for (const method of ['TRACE', 'POST', 'DELETE', 'PUT', 'PATCH']) {
      const res = await send(method, path);
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.allow, `${method} ${path}`).toBe('GET, HEAD, OPTIONS');
      expect(JSON.parse(res.body), `${method} ${path}`).toMatchObject({ error: { code: 'method_not_allowed' } });
    }
  }
  expect((await send('OPTIONS', '/api/ohlc')).status).toBeLessThan(300);
});

test('an unknown /api path is a JSON 404 listing the routes', async () => {
  for (const method of ['GET', 'TRACE']) {
    const res = await send(method, '/api/nope?x=1');
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toMatchObject({
      error: { code: 'not_found', available: expect.arrayContaining(['/api/ohlc', '/api/health']) },
    });
  }
});

test('unknown query parameters are a 400 naming them', async () => {
  const res = await fetch(`${base}/api/ohlc?contract_id=SIM.MES&timeframe=1m&limt=5&color=red`);
  expect(res.status).toBe(400);
  expect(await res.json()).toMatchObject({
    error: {
      code: 'invalid_input',
      field: 'limt, color',
      message: expect.stringMatching(/unknown parameters; this route takes contract_id, .*limit/),
    },
  });
  expect((await fetch(`${base}/api/health?verbose=1`)).status).toBe(400);
});

test('an unconfigured timeframe or analyzer is a 404 listing the configured ones', async () => {
  const tf = await fetch(`${base}/api/ohlc?contract_id=SIM.MES&timeframe=2m`);
  expect(tf.status).toBe(404);
  expect(await tf.json()).toMatchObject({
    error: {
      code: 'not_found',
      message: expect.stringContaining("timeframe '2m' not found; there are: 1m, 5m"),
      available: ['1m', '5m', '15m', '1h', '4h', '1d'],
    },
  });
  for (const route of ['signals', 'trend-starts']) {
    const analyzer = await fetch(`${base}/api/${route}?contract_id=SIM.MES&timeframe=5m&analyzer_id=nope`);
    expect(analyzer.status, route).toBe(404);
    expect(await analyzer.json(), route).toMatchObject({ error: { code: 'not_found', available: ['cus_cds_trend_finder', 'ema_cross'] } });
  }
  expect((await fetch(`${base}/api/indicators?contract_id=SIM.MES&timeframe=2m`)).status).toBe(404);
});

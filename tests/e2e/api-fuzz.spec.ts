// Generated requests against every API route: never a 5xx, every 4xx names what is wrong.
// API_FUZZ_RUNS=10000 is the full form; npm test runs a shorter one to keep CI within budget.
import fc from 'fast-check';
import { expect, test } from '@playwright/test';
import { type FullStack, startFullStack } from './full-stack.ts';

let stack: FullStack;
test.beforeAll(async () => {
  stack = await startFullStack();
});
test.afterAll(async () => {
  if (stack) {
    await stack.stop();
    stack.cleanup();
  }
});

const RANGE = ['contract_id', 'timeframe', 'timeframe_unit', 'timeframe_value', 'from', 'to', 'limit'];
/** Each route's own parameters, so most requests get past the unknown-parameter check to the handler. */
const ROUTE_PARAMS: Record<string, string[]> = {
  '/api/ohlc': RANGE,
  '/api/trend-starts': [...RANGE, 'analyzer_id'],
  '/api/signals': [...RANGE, 'analyzer_id'],
  '/api/indicators': [...RANGE, 'names'],
  '/api/smc/events': [...RANGE, 'study_id', 'kind'],
  '/api/smc/zones': [...RANGE, 'study_id', 'study', 'active'],
  '/api/contracts': [],
  '/api/health': [],
  '/api/trend-labels': [...RANGE.filter((p) => p !== 'limit'), 'author'],
  '/api/trend-labels/export': [...RANGE.filter((p) => p !== 'limit'), 'author'],
  '/api/trend-labels/score': [...RANGE.filter((p) => p !== 'limit'), 'author', 'detector', 'k', 'analyzer_id'],
};
/** Sometimes a parameter the route does not take (or misspelt): a 400 naming it. */
const STRAY = ['names', 'analyzer_id', 'limt', 'x'];
const hostile = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    'SIM.MES',
    'SIM.BTC',
    'NOPE',
    '1m',
    '5m',
    '15m',
    '1h',
    '1d',
    '7x',
    '0m',
    '99999d',
    '2025-01-01',
    'NaN',
    '-1',
    '0',
    '50001',
    '1e309',
    'ema_20,ema_50',
    'rsi_0',
    'macd_26_12_9',
    'bb_20_-2',
    'cus_cds_trend_finder',
    'bos,choch',
    'fvg,ob,liquidity',
    'true',
    'trend',
    'smc_choch',
    '1735689600000',
    '%00',
    '../../etc/passwd',
    "'; DROP TABLE ohlc_bars; --",
    '{"a":1}',
    'x'.repeat(5_000),
  ),
  fc.integer().map(String),
  fc.double().map(String),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
);
const generatedRequest = fc.constantFrom(...Object.keys(ROUTE_PARAMS)).chain((route) =>
  fc.tuple(
    fc.constant(route),
    fc.dictionary(fc.constantFrom(...(ROUTE_PARAMS[route] ?? []), ...STRAY), hostile, { maxKeys: 6 }).chain((params) =>
      fc.oneof(
        { weight: 1, arbitrary: fc.constant(params) },
        {
          weight: 3,
          arbitrary: fc.constant(Object.fromEntries(Object.entries(params).filter(([k]) => (ROUTE_PARAMS[route] ?? []).includes(k)))),
        },
      ),
    ),
  ),
);

const RUNS = Number(process.env.API_FUZZ_RUNS ?? 1_000);
/** Replays a run: the seed is printed with the statuses. */
const SEED = Number(process.env.API_FUZZ_SEED ?? 20261121);

test(`${RUNS} generated API requests: no 5xx, every 4xx explains itself`, async ({ request }) => {
  test.setTimeout(600_000);
  const samples = fc.sample(generatedRequest, { numRuns: RUNS, seed: SEED });
  const statuses = new Map<number, number>();
  for (let i = 0; i < samples.length; i += 20) {
    await Promise.all(
      samples.slice(i, i + 20).map(async ([route, params]) => {
        const url = `${stack.webUrl}${route}?${new URLSearchParams(params).toString()}`;
        const res = await request.get(url, { failOnStatusCode: false });
        statuses.set(res.status(), (statuses.get(res.status()) ?? 0) + 1);
        expect(res.status(), url).toBeLessThan(500);
        if (res.status() >= 400) {
          const body = (await res.json()) as { error?: { message?: string } };
          expect(body.error?.message, url).toMatch(/\S/);
        }
      }),
    );
  }
  expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(RUNS);
  expect(statuses.get(200) ?? 0).toBeGreaterThan(RUNS / 100); // the generator also hits valid requests
  console.log(`API fuzz (seed ${SEED}) statuses:`, Object.fromEntries(statuses));
});

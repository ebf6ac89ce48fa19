// Alpaca REST bars against a local fake Alpaca (real HTTP protocol): next_page_token paging, feed and
// adjustment, daily labels, the rate budget and 429s, 4xx/5xx, timeframe names.
import { sleep, timeframeOf, ValidationError } from '@barstream/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AlpacaHttpError } from '../../ingester/src/providers/alpaca/alpaca-errors.ts';
import { AlpacaRestClient } from '../../ingester/src/providers/alpaca/alpaca-rest-client.ts';
import { alpacaTimeframe } from '../../ingester/src/providers/alpaca/alpaca-timeframes.ts';
import { FakeAlpacaServer, type FakeAlpacaTrade } from '../fakes/alpaca-server.ts';
import { quietLogger } from '../support/quiet-logger.ts';

const KEY = 'PKTESTKEY0123456789';
const SECRET = 'sEcReT-9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const logger = quietLogger('alpaca-test');
const MINUTE = 60_000;
const ONE_MINUTE = timeframeOf(2, 1);
const T0 = Date.UTC(2024, 2, 5, 14, 30);

const trade = (id: number, over: Partial<FakeAlpacaTrade> = {}): FakeAlpacaTrade => ({
  symbol: 'SPY',
  id,
  price: 512.34,
  size: 100,
  time: new Date(T0 + id * 1_000).toISOString(),
  ...over,
});

describe('Alpaca bars', () => {
  let server: FakeAlpacaServer;
  beforeAll(async () => {
    server = await FakeAlpacaServer.start({ keyId: KEY, secretKey: SECRET });
    // 25,000 one-minute trades: 25,000 1Min bars, three 10,000-bar pages.
    server.record(
      ...Array.from({ length: 25_000 }, (_, i) =>
        trade(i, { price: 500 + (i % 50), size: i + 1, time: new Date(T0 + i * MINUTE).toISOString() }),
      ),
    );
  });
  afterAll(async () => server.close());
  afterEach(() => {
    server.barRequests.splice(0);
  });

  const client = (extra: Partial<ConstructorParameters<typeof AlpacaRestClient>[0]> = {}) =>
    new AlpacaRestClient({
      dataUrl: server.dataUrl,
      keyId: KEY,
      secretKey: SECRET,
      feed: 'iex',
      adjustment: 'split',
      logger,
      backoff: { initialMs: 10, maxMs: 50 },
      ...extra,
    });

  it('pages with next_page_token (10,000 a page), sends feed and adjustment, returns exactly the range', async () => {
    const bars = await client().fetchBars('spy', ONE_MINUTE, T0, T0 + 25_000 * MINUTE);
    expect(
      server.barRequests.map((r) => [
        r.symbol,
        r.query.timeframe,
        r.query.limit,
        r.query.feed,
        r.query.adjustment,
        r.query.page_token !== undefined,
      ]),
    ).toEqual([
      ['SPY', '1Min', '10000', 'iex', 'split', false],
      ['SPY', '1Min', '10000', 'iex', 'split', true],
      ['SPY', '1Min', '10000', 'iex', 'split', true],
    ]);
    // Alpaca's end is inclusive: one millisecond before ours.
    expect(server.barRequests[0]?.query).toMatchObject({
      start: new Date(T0).toISOString(),
      end: new Date(T0 + 25_000 * MINUTE - 1).toISOString(),
    });
    expect(bars).toHaveLength(25_000);
    expect(bars.every((b, i) => b.time === T0 + i * MINUTE)).toBe(true);
    expect(bars[1]).toEqual({ time: T0 + MINUTE, open: 501, high: 501, low: 501, close: 501, volume: 2 });
    const inner = await client().fetchBars('SPY', ONE_MINUTE, T0 + 10 * MINUTE + 1, T0 + 20 * MINUTE);
    expect(inner.map((b) => (b.time - T0) / MINUTE)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19]);
  });

  it('labels daily bars with their New York date, as barstream stores daily bars', async () => {
    const bars = await client().fetchBars('SPY', timeframeOf(4, 1), Date.UTC(2024, 2, 5), Date.UTC(2024, 2, 8));
    // T0 is 2024-03-05 09:30 New York; 1,440 minutes a day from there.
    expect(bars.map((b) => new Date(b.time).toISOString().slice(0, 10))).toEqual(['2024-03-05', '2024-03-06', '2024-03-07']);
    expect(bars[0]?.volume).toBe(((1 + 870) * 870) / 2); // trades 0…869 until midnight New York (14:30 + 870 min = 05:00Z)
  });

  it('waits for X-RateLimit-Reset on a 429 and retries', async () => {
    const frozen = Date.now();
    server.forceNext({ status: 429, resetAtSec: Math.ceil(frozen / 1000) + 2 });
    const waits: number[] = [];
    const recording = (ms: number, signal?: AbortSignal) => {
      waits.push(ms);
      return sleep(Math.min(ms, 5), signal);
    };
    const bars = await client({ sleep: recording, now: () => frozen }).fetchBars('SPY', ONE_MINUTE, T0, T0 + 5 * MINUTE);
    expect(bars).toHaveLength(5);
    expect(server.barRequests.map((r) => r.status)).toEqual([429, 200]);
    expect(waits).toEqual([(Math.ceil(frozen / 1000) + 2) * 1000 - frozen + 250]);
  });

  it('spends the rate budget without a 429: once X-RateLimit-Remaining is 0 it waits for X-RateLimit-Reset', async () => {
    const frozen = Date.now();
    server.rateLimit = 2;
    server.resetRateWindow(Math.ceil(frozen / 1000) + 30);
    const waits: number[] = [];
    // The window resets while the client waits (its clock stands still: the wait asked for is exact).
    const waitingOutTheWindow = (ms: number, signal?: AbortSignal) => {
      waits.push(ms);
      server.resetRateWindow();
      return sleep(1, signal);
    };
    try {
      const bars = await client({ sleep: waitingOutTheWindow, now: () => frozen }).fetchBars('SPY', ONE_MINUTE, T0, T0 + 25_000 * MINUTE);
      expect(bars).toHaveLength(25_000);
    } finally {
      server.rateLimit = 200;
      server.resetRateWindow();
    }
    expect(server.barRequests.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(waits).toEqual([(Math.ceil(frozen / 1000) + 30) * 1000 - frozen + 250]);
  });

  it('prefers Retry-After when a 429 carries it', async () => {
    server.forceNext({ status: 429, retryAfterSec: 3 });
    const waits: number[] = [];
    const recording = (ms: number, signal?: AbortSignal) => {
      waits.push(ms);
      return sleep(Math.min(ms, 5), signal);
    };
    const frozen = Date.now();
    expect(await client({ sleep: recording, now: () => frozen }).fetchBars('SPY', ONE_MINUTE, T0, T0 + 2 * MINUTE)).toHaveLength(2);
    expect(waits).toEqual([3_000]);
  });

  it('retries 5xx, fails at once on a 4xx naming Alpaca’s message, and gives up after maxAttempts', async () => {
    server.forceNext({ status: 503, body: { message: 'unavailable' } }, { status: 500 });
    expect(await client().fetchBars('SPY', ONE_MINUTE, T0, T0 + 3 * MINUTE)).toHaveLength(3);
    expect(server.barRequests.map((r) => r.status)).toEqual([503, 500, 200]);
    server.forceNext({ status: 422, body: { message: 'invalid symbol: NOPE$' } });
    const failure = client().fetchBars('NOPE$', ONE_MINUTE, T0, T0 + MINUTE);
    await expect(failure).rejects.toBeInstanceOf(AlpacaHttpError);
    await expect(failure).rejects.toThrow(/422: invalid symbol/);
    await expect(client({ secretKey: 'wrong' }).fetchBars('SPY', ONE_MINUTE, T0, T0 + MINUTE)).rejects.toThrow(
      /403: forbidden.*ALPACA_KEY_ID/,
    );
    server.forceNext({ status: 502 }, { status: 502 }, { status: 502 });
    await expect(client({ maxAttempts: 3 }).fetchBars('SPY', ONE_MINUTE, T0, T0 + MINUTE)).rejects.toThrow(/502.*gave up after 3 attempts/);
  });

  it('maps our timeframes to Alpaca’s names and names the ones it has not', () => {
    expect(
      [
        timeframeOf(2, 1),
        timeframeOf(2, 5),
        timeframeOf(3, 1),
        timeframeOf(3, 4),
        timeframeOf(4, 1),
        timeframeOf(5, 1),
        timeframeOf(6, 3),
      ].map(alpacaTimeframe),
    ).toEqual(['1Min', '5Min', '1Hour', '4Hour', '1Day', '1Week', '3Month']);
    expect(() => alpacaTimeframe(timeframeOf(1, 1))).toThrow(ValidationError);
    expect(() => alpacaTimeframe(timeframeOf(4, 2))).toThrow(/2d/);
  });
});

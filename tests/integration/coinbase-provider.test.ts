// CoinbaseProvider against a local fake Advanced Trade (real HTTP + WebSocket protocol): subscriptions, trades,
// quotes, snapshots, sequence gaps, drops, refused subscriptions, bad messages, candles paging, rate limits.
import { ConfigError, sleep, timeframeOf, ValidationError } from '@barstream/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CoinbaseHttpError } from '../../ingester/src/providers/coinbase/coinbase-errors.ts';
import { coinbaseGranularity } from '../../ingester/src/providers/coinbase/coinbase-granularities.ts';
import { CoinbaseProvider, type CoinbaseProviderOptions } from '../../ingester/src/providers/coinbase/coinbase-provider.ts';
import {
  CANDLES_PER_REQUEST,
  CoinbaseRestClient,
  type CoinbaseRestClientOptions,
} from '../../ingester/src/providers/coinbase/coinbase-rest-client.ts';
import { candleSeries, FakeCoinbaseServer, type FakeCoinbaseOptions, type FakeTrade } from '../fakes/coinbase-server.ts';
import { RecordingSink, until } from '../fakes/recording-sink.ts';
import { quietLogger } from '../support/quiet-logger.ts';

const logger = quietLogger('coinbase-test');
const MINUTE = 60_000;
const ONE_MINUTE = timeframeOf(2, 1);
const T0 = Date.UTC(2024, 0, 1);

const trade = (id: number, over: Partial<FakeTrade> = {}): FakeTrade => ({
  productId: 'BTC-USD',
  id,
  price: '64123.45',
  size: '0.0015',
  time: T0 + id + 0.25,
  side: 'BUY',
  ...over,
});

describe('Coinbase market-data feed', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function connect(options: Partial<CoinbaseProviderOptions> = {}, fake: FakeCoinbaseOptions = {}) {
    const server = await FakeCoinbaseServer.start(fake);
    const provider = new CoinbaseProvider({
      restUrl: server.restUrl,
      wsUrl: server.wsUrl,
      products: ['BTC-USD'],
      logger,
      staleAfterMs: 5_000,
      reconnectBackoff: { initialMs: 20, maxMs: 100 },
      ...options,
    });
    const sink = new RecordingSink();
    cleanups.push(async () => {
      await provider.stop();
      await server.close();
    });
    await provider.start(sink);
    return { server, provider, sink };
  }

  async function connected(options: Partial<CoinbaseProviderOptions> = {}, fake: FakeCoinbaseOptions = {}) {
    const setup = await connect(options, fake);
    await until(() => setup.sink.connection.length === 1 && setup.server.open.length === 1, 'the first subscription');
    return setup;
  }

  it('subscribes once per channel and parses trades (strings → numbers, µs times, taker side, in id order)', async () => {
    const { server, sink } = await connected({ products: ['BTC-USD', 'ETH-USD'] });
    const subs = server.connections[0]?.subscriptions;
    await until(() => subs?.size === 3, 'three subscriptions');
    expect([...(subs?.entries() ?? [])]).toEqual([
      ['market_trades', ['BTC-USD', 'ETH-USD']],
      ['ticker', ['BTC-USD', 'ETH-USD']],
      ['heartbeats', ['BTC-USD', 'ETH-USD']],
    ]);
    server.sendTrades([trade(7), trade(8, { productId: 'ETH-USD', price: '3012.1', size: '2.5', side: 'SELL' })]);
    await until(() => sink.trades.length === 2, 'two trades');
    // The venue's ids as numbers (core's Trade.tradeId: a number stands for its digits, stored as text).
    expect(sink.trades).toEqual([
      { contractId: 'BTC-USD', time: T0 + 7.25, price: 64123.45, volume: 0.0015, side: 'buy', tradeId: 7 },
      { contractId: 'ETH-USD', time: T0 + 8.25, price: 3012.1, volume: 2.5, side: 'sell', tradeId: 8 },
    ]);
    expect(sink.connection).toEqual([true]);
    expect(sink.rejected).toEqual([]);
  });

  it('takes the snapshot as the starting point, not as live trades', async () => {
    const { server, sink } = await connected({}, { snapshotTrades: [trade(1), trade(2), trade(3)] });
    server.sendTrades([trade(3), trade(4)]);
    await until(() => sink.trades.length === 1, 'the trade after the snapshot');
    expect(sink.tradeIds()).toEqual(['4']);
  });

  it('passes ticker prices on as quotes', async () => {
    const { server, sink } = await connected();
    server.sendTicker('BTC-USD', '64000.5', '64000.25', '64000.75');
    await until(() => sink.quotes.length === 1, 'a quote');
    expect(sink.quotes[0]).toMatchObject({ contractId: 'BTC-USD', lastPrice: 64000.5, bestBid: 64000.25, bestAsk: 64000.75 });
  });

  it('treats a sequence gap as a lost feed: reports it, reconnects, and drops trades the new connection repeats', async () => {
    const { server, sink } = await connected();
    server.sendTrades([trade(1), trade(2)]);
    await until(() => sink.trades.length === 2, 'two trades');
    server.skipSequence(2);
    server.sendTrades([trade(3)]);
    await until(() => sink.connection.length === 3, 'lost and back');
    expect(sink.connection).toEqual([true, false, true]);
    expect(server.connections).toHaveLength(2);
    // The message after the gap is never delivered: backfill, not the stream, fills the gap.
    expect(sink.tradeIds()).toEqual(['1', '2']);
    server.sendTrades([trade(2), trade(3), trade(4)]);
    await until(() => sink.trades.length === 4, 'the trades after the reconnect');
    expect(sink.tradeIds()).toEqual(['1', '2', '3', '4']);
  });

  it('ignores a message whose sequence number it has already taken', async () => {
    const { server, sink } = await connected();
    const c = server.open[0];
    if (!c) throw new Error('no connection');
    server.sendTrades([trade(1)]);
    c.sequence -= 1; // the same sequence number again
    server.sendTrades([trade(5)]);
    server.sendTrades([trade(6)]);
    await until(() => sink.trades.length === 2, 'the trades in sequence');
    expect(sink.tradeIds()).toEqual(['1', '6']);
    expect(sink.connection).toEqual([true]);
  });

  it('survives two forced drops without a duplicate trade', async () => {
    const { server, sink } = await connected();
    let id = 0;
    const burst = () => server.sendTrades([trade(++id), trade(++id)]);
    burst();
    await until(() => sink.trades.length === 2, 'first burst');
    for (const drop of [1, 2]) {
      server.terminateAll();
      await until(() => sink.connection.length === 1 + 2 * drop && server.open.length === 1, `reconnect after drop ${drop}`);
      id -= 1; // the venue repeats the last trade on the new connection
      burst();
      await until(() => sink.trades.length === 2 + drop, `burst after drop ${drop}`);
    }
    expect(sink.connection).toEqual([true, false, true, false, true]);
    expect(sink.tradeIds()).toEqual(['1', '2', '3', '4']);
  });

  it('counts 1,000 bad messages, delivers none of them, and keeps the connection', async () => {
    const { server, sink } = await connected();
    const c = server.open[0];
    if (!c) throw new Error('no connection');
    const good = { trade_id: '9', product_id: 'BTC-USD', price: '1', size: '1', side: 'BUY', time: '2024-01-01T00:00:00Z' };
    const bad: (() => void)[] = [
      () => server.sendRaw('{not json'),
      () => server.sendRaw(JSON.stringify({ channel: 'market_trades', events: [] })),
      () => server.sendEnvelope(c, 'market_trades', [{ type: 'update', trades: [{ ...good, price: '-1' }] }]),
      () => server.sendEnvelope(c, 'market_trades', [{ type: 'update', trades: [{ ...good, side: 'UP' }] }]),
      () => server.sendEnvelope(c, 'market_trades', [{ type: 'update', trades: [{ ...good, product_id: 'DOGE-USD' }] }]),
      () => server.sendEnvelope(c, 'market_trades', [{ type: 'update', trades: [{ ...good, time: 'noon' }] }]),
      () => server.sendEnvelope(c, 'ticker', [{ type: 'update', tickers: [{ product_id: 'BTC-USD', price: 'x' }] }]),
      () => server.sendRaw(Buffer.from([1, 2, 3]), server.open, true),
    ];
    for (let i = 0; i < 1_000; i++) bad[i % bad.length]?.();
    server.sendTrades([trade(10)]);
    await until(() => sink.trades.length === 1, 'the good trade after the bad ones', 10_000);
    expect(sink.rejected).toHaveLength(1_000);
    expect(sink.tradeIds()).toEqual(['10']);
    expect(sink.connection).toEqual([true]);
    expect(sink.rejected[0]?.reason).toMatch(/^coinbase: frame is not JSON/);
    expect(new Set(sink.rejected.map((r) => r.reason.replace(/:.*$/s, '')))).toEqual(new Set(['coinbase']));
  });

  it('does not report a feed whose subscription the venue refuses, and keeps retrying', async () => {
    const { server, sink } = await connect({}, { refuseChannels: ['market_trades'] });
    await until(() => server.connections.length >= 3, 'three attempts');
    expect(sink.connection).toEqual([]);
    expect(sink.trades).toEqual([]);
  });

  it('drops a connection whose subscription is never acknowledged, and tries again', async () => {
    const { server, sink } = await connect({ subscribeTimeoutMs: 100 }, { silent: true });
    await until(() => server.connections.length >= 2, 'a second attempt');
    expect(server.connections[0]?.socket.readyState).not.toBe(1);
    expect(sink.connection).toEqual([]);
  });

  it('drops a feed that went silent (no heartbeat) and reconnects', async () => {
    const { server, sink } = await connected({ staleAfterMs: 200 });
    await until(() => server.connections.length >= 2 && sink.connection.length >= 3, 'a reconnect after silence');
    expect(sink.connection.slice(0, 3)).toEqual([true, false, true]);
  });

  it('keeps a quiet feed alive on heartbeats alone', async () => {
    const { server, sink } = await connected({ staleAfterMs: 1_000 }, { heartbeatIntervalMs: 20 });
    const c = server.open[0];
    // Three stale periods' worth of heartbeats and nothing else.
    await until(() => (c?.sequence ?? 0) > 150, '150 heartbeats', 20_000);
    expect(server.connections).toHaveLength(1);
    expect(sink.connection).toEqual([true]);
  });
});

describe('Coinbase candles and products', () => {
  let server: FakeCoinbaseServer;
  beforeAll(async () => {
    server = await FakeCoinbaseServer.start();
    server.setProduct('BTC-USD', '0.01');
    server.setProduct('SHIB-USD', '0.00000001');
    server.setCandles('BTC-USD', 'ONE_MINUTE', candleSeries(T0 / 1000, 1_000, 60));
  });
  afterAll(async () => {
    await server?.close();
  });
  afterEach(() => {
    server.candleRequests.splice(0);
  });

  const client = (over: Partial<CoinbaseRestClientOptions> = {}) =>
    new CoinbaseRestClient({ restUrl: server.restUrl, logger, minSpacingMs: 0, backoff: { initialMs: 10, maxMs: 20 }, ...over });

  it('pages backwards within the per-request limit and returns the candles ascending', async () => {
    const bars = await client().fetchCandles('BTC-USD', ONE_MINUTE, T0, T0 + 1_000 * MINUTE);
    expect(bars).toHaveLength(1_000);
    expect(bars.every((b, i) => b.time === T0 + i * MINUTE)).toBe(true);
    expect(bars[1]).toEqual({ time: T0 + MINUTE, open: 101.25, high: 102.5, low: 100, close: 101.75, volume: 1.125 });
    const spans = server.candleRequests.map((r) => [Number(r.query.start), Number(r.query.end)]);
    const t0 = T0 / 1000;
    expect(spans).toEqual([
      [t0 + 652 * 60, t0 + 1_000 * 60],
      [t0 + 304 * 60, t0 + 652 * 60],
      [t0, t0 + 304 * 60],
    ]);
    expect(server.candleRequests.every((r) => r.status === 200 && r.query.limit === String(CANDLES_PER_REQUEST))).toBe(true);
  });

  it('returns only closed candles inside the range', async () => {
    const inner = await client().fetchCandles('BTC-USD', ONE_MINUTE, T0 + 10 * MINUTE + 1, T0 + 20 * MINUTE);
    expect(inner.map((b) => (b.time - T0) / MINUTE)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19]);
    const forming = await client({ now: () => T0 + 5 * MINUTE + 30_000 }).fetchCandles('BTC-USD', ONE_MINUTE, T0, T0 + 10 * MINUTE);
    expect(forming.map((b) => (b.time - T0) / MINUTE)).toEqual([0, 1, 2, 3, 4]);
  });

  it('holds requests for Retry-After on 429 and retries', async () => {
    server.forceNext({ status: 429, retryAfterSec: 1 });
    const waits: number[] = [];
    const recording = (ms: number, signal?: AbortSignal) => {
      waits.push(ms);
      return sleep(ms, signal);
    };
    const frozen = T0 + 10_000 * MINUTE;
    const bars = await client({ sleep: recording, now: () => frozen }).fetchCandles('BTC-USD', ONE_MINUTE, T0, T0 + 5 * MINUTE);
    expect(bars).toHaveLength(5);
    expect(server.candleRequests.map((r) => r.status)).toEqual([429, 200]);
    expect(waits).toEqual([1_000]);
  });

  it('spaces requests to stay under 10 per second', async () => {
    const waits: number[] = [];
    const frozen = T0 + 10_000 * MINUTE;
    const recording = (ms: number) => {
      waits.push(ms);
      return Promise.resolve();
    };
    await client({ minSpacingMs: 100, sleep: recording, now: () => frozen }).fetchCandles('BTC-USD', ONE_MINUTE, T0, T0 + 1_000 * MINUTE);
    expect(waits).toEqual([100, 200]);
  });

  it('retries 5xx, fails at once on an unknown product naming the venue’s error, gives up after maxAttempts', async () => {
    server.forceNext({ status: 503 }, { status: 500 });
    expect(await client().fetchCandles('BTC-USD', ONE_MINUTE, T0, T0 + 3 * MINUTE)).toHaveLength(3);
    const unknown = client().fetchCandles('NOPE-USD', ONE_MINUTE, T0, T0 + MINUTE);
    await expect(unknown).rejects.toBeInstanceOf(CoinbaseHttpError);
    await expect(unknown).rejects.toThrow(/404 \(NOT_FOUND\): ProductID is invalid/);
    server.forceNext({ status: 502 }, { status: 502 }, { status: 502 });
    await expect(client({ maxAttempts: 3 }).fetchCandles('BTC-USD', ONE_MINUTE, T0, T0 + MINUTE)).rejects.toThrow(/502.*gave up after 3/);
  });

  it('takes each contract’s tick size from the product’s quote_increment', async () => {
    const provider = new CoinbaseProvider({ restUrl: server.restUrl, wsUrl: server.wsUrl, products: ['BTC-USD', 'SHIB-USD'], logger });
    const base = { provider: 'coinbase' as const, name: '', description: '', tick_size: 0.01, session_calendar: 'utc' };
    const described = await provider.describeContracts([
      { ...base, id: 'BTC-USD', symbol: 'BTC-USD' },
      { ...base, id: 'SHIB-USD', symbol: 'SHIB-USD' },
    ]);
    expect(described.map((c) => c.tick_size)).toEqual([0.01, 0.00000001]);
    const unknown = provider.describeContracts([{ ...base, id: 'NOPE-USD', symbol: 'NOPE-USD' }]);
    await expect(unknown).rejects.toBeInstanceOf(ConfigError);
    await expect(unknown).rejects.toThrow(/ingester.contracts: Coinbase has no product 'NOPE-USD'.*404/);
  });

  it('maps every documented granularity and names the timeframes it lacks', () => {
    const names = [
      [2, 1],
      [2, 5],
      [2, 15],
      [2, 30],
      [3, 1],
      [3, 2],
      [3, 4],
      [3, 6],
      [4, 1],
    ].map(([unit, value]) => coinbaseGranularity(timeframeOf(unit ?? 0, value ?? 0)).name);
    expect(names).toEqual([
      'ONE_MINUTE',
      'FIVE_MINUTE',
      'FIFTEEN_MINUTE',
      'THIRTY_MINUTE',
      'ONE_HOUR',
      'TWO_HOUR',
      'FOUR_HOUR',
      'SIX_HOUR',
      'ONE_DAY',
    ]);
    expect(() => coinbaseGranularity(timeframeOf(5, 1))).toThrow(ValidationError);
    expect(() => coinbaseGranularity(timeframeOf(5, 1))).toThrow(/1w/);
  });
});

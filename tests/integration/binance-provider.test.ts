// BinanceProvider against a local fake Binance (real HTTP + WebSocket protocol): trades, reconnects, rotation, klines, rate limits.
import { sleep, ValidationError, timeframeOf } from '@barstream/core';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BinanceHttpError } from '../../ingester/src/providers/binance/binance-errors.ts';
import { binanceInterval } from '../../ingester/src/providers/binance/binance-intervals.ts';
import { BinanceProvider, type BinanceProviderOptions } from '../../ingester/src/providers/binance/binance-provider.ts';
import { BinanceRestClient } from '../../ingester/src/providers/binance/binance-rest-client.ts';
import { RecordingSink, until } from '../fakes/recording-sink.ts';
import { FakeBinanceServer, klineSeries, type FakeTrade } from '../fakes/binance-server.ts';
import { quietLogger } from '../support/quiet-logger.ts';

const logger = quietLogger('binance-test');
const MINUTE = 60_000;
const ONE_MINUTE = timeframeOf(2, 1);
const T0 = Date.UTC(2024, 0, 1);

const trade = (id: number, over: Partial<FakeTrade> = {}): FakeTrade => ({
  symbol: 'BTCUSDT',
  id,
  price: '64123.45000000',
  qty: '0.00150000',
  time: T0 + id,
  buyerIsMaker: false,
  ...over,
});

describe('Binance trade stream', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function connect(options: Partial<BinanceProviderOptions> = {}, pingIntervalMs?: number) {
    const server = await FakeBinanceServer.start({ pingIntervalMs });
    const provider = new BinanceProvider({
      restUrl: server.restUrl,
      wsUrl: server.wsUrl,
      symbols: ['BTCUSDT'],
      rotateAfterMs: 60_000,
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
    await until(() => sink.connection.length === 1 && server.open.length === 1, 'the first connection');
    return { server, provider, sink };
  }

  it('subscribes to lowercase combined trade streams and parses trades (strings → numbers, side from m)', async () => {
    const { server, sink } = await connect({ symbols: ['btcusdt', 'ETHUSDT'] });
    expect(server.connections[0]?.streams).toEqual(['btcusdt@trade', 'ethusdt@trade']);
    server.sendTrade(trade(7, { buyerIsMaker: false }));
    server.sendTrade(trade(8, { symbol: 'ETHUSDT', price: '3012.10000000', qty: '2.50000000', buyerIsMaker: true }));
    await until(() => sink.trades.length === 2, 'two trades');
    // The venue's ids as numbers (core's Trade.tradeId: a number stands for its digits, stored as text).
    expect(sink.trades).toEqual([
      { contractId: 'BTCUSDT', time: T0 + 7, price: 64123.45, volume: 0.0015, side: 'buy', tradeId: 7 },
      { contractId: 'ETHUSDT', time: T0 + 8, price: 3012.1, volume: 2.5, side: 'sell', tradeId: 8 },
    ]);
    expect(sink.connection).toEqual([true]);
  });

  it('answers pings with the same payload, and pings alone keep a quiet connection alive', async () => {
    // Pings every 50 ms against a staleness limit of 1 s: waited for by count, not by a sleep, until the pongs
    // span more than that limit (25 × 50 ms), so a stall of the loaded machine cannot look like silence.
    const { server, sink } = await connect({ staleAfterMs: 1_000 }, 50);
    const pongs = () => server.connections[0]?.pongs ?? [];
    await until(() => pongs().length >= 25, 'pongs spanning more than the staleness limit', 30_000);
    expect(server.connections).toHaveLength(1);
    expect(sink.connection).toEqual([true]);
    expect(pongs().every((p) => p.toString() === 'keepalive')).toBe(true);
  });

  it('drops a connection that went silent (no message, no ping) and reconnects', async () => {
    const { server, sink } = await connect({ staleAfterMs: 200 });
    await until(() => server.connections.length === 2 && server.open.length === 1, 'a second connection', 2_000);
    await until(() => sink.connection.length === 3, 'connected again');
    expect(sink.connection).toEqual([true, false, true]);
    expect(server.connections[0]?.closeCode).toBeDefined();
  });

  it('reconnects after the connection is dropped, reporting false then true, and keeps streaming', async () => {
    const { server, sink } = await connect();
    server.sendTrade(trade(1));
    server.sendTrade(trade(2));
    await until(() => sink.trades.length === 2, 'trades before the drop');
    server.terminateAll();
    await until(() => sink.connection.length === 3 && server.open.length === 1, 'the reconnection');
    expect(sink.connection).toEqual([true, false, true]);
    server.sendTrade(trade(2)); // replayed by the server: already delivered
    server.sendTrade(trade(3));
    server.sendTrade(trade(4)); // the last: once it is in, a duplicate of 2 would be in before it (one connection, in order)
    await until(() => sink.tradeIds().includes('4'), 'the trades after reconnecting');
    expect(sink.tradeIds()).toEqual(['1', '2', '3', '4']);
  });

  it('rotates to an overlapping connection without duplicating or losing trades, and without a disconnect', async () => {
    const { server, sink } = await connect({ rotateAfterMs: 150, rotationOverlapMs: 3_000 });
    server.sendTrade(trade(1));
    server.sendTrade(trade(2));
    await until(() => server.connections.length === 2 && server.open.length === 2, 'the successor connection');
    const [old, successor] = server.connections;
    if (!old || !successor) throw new Error('expected two connections');
    // The successor subscribed from trade 4 on; the old connection still has 3 in flight.
    for (const id of [4, 5, 6]) server.sendTrade(trade(id), [successor]);
    successor.socket.ping(Buffer.from('sync'));
    await until(() => successor.pongs.length === 1, 'the successor to have read its trades');
    expect(sink.tradeIds()).toEqual(['1', '2']); // held back until the streams meet
    for (const id of [3, 4, 5, 6]) server.sendTrade(trade(id), [old]);
    await until(() => sink.trades.length === 6 && old.closeCode !== undefined, 'the rotation to finish');
    expect(old.closeCode).toBe(1000);
    server.sendTrade(trade(7), [successor]);
    await until(() => sink.trades.length === 7, 'a trade on the new connection');
    expect(sink.tradeIds()).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(sink.connection).toEqual([true]);
  });

  it('adds and removes a symbol (the watchlist) through an overlapping connection: no gap, no duplicate, no disconnect', async () => {
    const { server, provider, sink } = await connect({ rotationOverlapMs: 3_000 });
    server.sendTrade(trade(1));
    await until(() => sink.trades.length === 1, 'a first trade');
    const eth = {
      id: 'ETHUSDT',
      provider: 'binance' as const,
      symbol: 'ETHUSDT',
      name: 'ETHUSDT',
      description: '',
      tick_size: 0.01,
      session_calendar: 'utc',
    };
    await provider.addContract(eth);
    await until(() => server.connections.length === 2 && server.open.length === 2, 'the successor connection');
    const [old, successor] = server.connections;
    if (!old || !successor) throw new Error('expected two connections');
    expect(successor.streams).toEqual(['btcusdt@trade', 'ethusdt@trade']);
    server.sendTrade(trade(1, { symbol: 'ETHUSDT', price: '3000.10000000' }), [successor]);
    for (const id of [3, 4]) server.sendTrade(trade(id), [successor]);
    for (const id of [2, 3, 4]) server.sendTrade(trade(id), [old]);
    await until(() => sink.trades.length === 5 && old.closeCode !== undefined, 'the switch to finish');
    expect(sink.trades.map((t) => `${t.contractId}:${t.time - T0}`).sort()).toEqual([
      'BTCUSDT:1',
      'BTCUSDT:2',
      'BTCUSDT:3',
      'BTCUSDT:4',
      'ETHUSDT:1',
    ]);
    await provider.removeContract('ETHUSDT');
    await until(() => server.connections.length === 3 && server.open.length === 2, 'the successor without ETHUSDT');
    const third = server.connections[2];
    if (!third) throw new Error('expected a third connection');
    server.sendTrade(trade(5), [successor, third]);
    await until(() => successor.closeCode !== undefined, 'the switch back');
    expect(sink.trades.filter((t) => t.contractId === 'BTCUSDT').map((t) => t.time - T0)).toEqual([1, 2, 3, 4, 5]);
    expect(server.connections[2]?.streams).toEqual(['btcusdt@trade']);
    await expect(provider.addContract({ ...eth, id: 'ETH' })).rejects.toThrow(/must have id equal to its symbol 'ETHUSDT'/);
    expect(sink.connection).toEqual([true]);
  });

  it('rotates at once on serverShutdown, closing the old connection after the overlap when the market is quiet', async () => {
    const { server, sink } = await connect({ rotationOverlapMs: 100 });
    server.sendServerShutdown();
    await until(() => server.connections.length === 2 && server.connections[0]?.closeCode !== undefined, 'the old connection to close');
    expect(server.open).toHaveLength(1);
    server.sendTrade(trade(1));
    await until(() => sink.trades.length === 1, 'a trade on the new connection');
    expect(sink.connection).toEqual([true]);
  });

  it('rejects malformed messages with a reason, counts them, and keeps the connection', async () => {
    const { server, sink } = await connect();
    const envelope = (data: unknown, stream = 'btcusdt@trade') => JSON.stringify({ stream, data });
    const valid = { e: 'trade', E: T0, s: 'BTCUSDT', t: 9, p: '1.5', q: '2', T: T0, m: true, M: true };
    server.sendRaw('not json {');
    server.sendRaw(JSON.stringify({ result: null, id: 1 }));
    server.sendRaw(envelope({ ...valid, p: 'abc' }));
    server.sendRaw(envelope({ ...valid, p: 'NaN' }));
    server.sendRaw(envelope({ ...valid, q: '-1' }));
    server.sendRaw(envelope({ ...valid, t: undefined }));
    server.sendRaw(envelope({ ...valid, s: 'XRPUSDT' }, 'xrpusdt@trade'));
    server.sendRaw(envelope({ lastUpdateId: 1 }, 'btcusdt@depth'));
    server.sendRaw(Buffer.from([0xde, 0xad]), server.open, true);
    server.sendTrade(trade(10));
    await until(() => sink.trades.length === 1, 'the valid trade');
    expect(sink.rejected).toHaveLength(9);
    expect(sink.rejected.map((r) => r.reason).join('\n')).toMatch(/p: not a decimal string[\s\S]*t: /);
    expect(sink.tradeIds()).toEqual(['10']);
    expect(sink.connection).toEqual([true]);
    expect(server.connections).toHaveLength(1);
  });
});

describe('Binance klines', () => {
  let server: FakeBinanceServer;
  beforeAll(async () => {
    server = await FakeBinanceServer.start();
    server.setKlines('BTCUSDT', '1m', klineSeries(T0, 2_500, MINUTE));
  });
  afterAll(async () => server.close());
  afterEach(() => {
    server.klineRequests.splice(0);
    server.usedWeight = 0;
  });

  const client = (extra: Partial<ConstructorParameters<typeof BinanceRestClient>[0]> = {}) =>
    new BinanceRestClient({ restUrl: server.restUrl, logger, backoff: { initialMs: 10, maxMs: 50 }, ...extra });

  it('pages 2,500 bars in three requests: ascending, no duplicates, exactly the range', async () => {
    const provider = new BinanceProvider({
      restUrl: server.restUrl,
      wsUrl: server.wsUrl,
      symbols: ['BTCUSDT'],
      rotateAfterMs: 60_000,
      logger,
    });
    const bars = await provider.fetchBars('btcusdt', ONE_MINUTE, T0, T0 + 2_500 * MINUTE);
    const end = T0 + 2_500 * MINUTE - 1; // Binance's endTime is inclusive
    expect(server.klineRequests.map((r) => [Number(r.query.startTime), Number(r.query.endTime), r.query.limit, r.query.interval])).toEqual([
      [T0, end, '1000', '1m'],
      [T0 + 1_000 * MINUTE, end, '1000', '1m'],
      [T0 + 2_000 * MINUTE, end, '1000', '1m'],
    ]);
    expect(bars).toHaveLength(2_500);
    expect(bars.every((b, i) => b.time === T0 + i * MINUTE)).toBe(true);
    expect(bars[1]).toEqual({ time: T0 + MINUTE, open: 101.25, high: 102.5, low: 100, close: 101.75, volume: 1.125 });
    server.klineRequests.splice(0);
    const pastTheData = await provider.fetchBars('BTCUSDT', ONE_MINUTE, T0, T0 + 10_000 * MINUTE);
    expect(pastTheData).toHaveLength(2_500);
    expect(server.klineRequests).toHaveLength(3); // a short page means the range holds nothing more
    const inner = await provider.fetchBars('BTCUSDT', ONE_MINUTE, T0 + 10 * MINUTE + 1, T0 + 20 * MINUTE);
    expect(inner.map((b) => (b.time - T0) / MINUTE)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19]);
  });

  it('returns only closed klines unless asked for the forming one', async () => {
    const start = Math.floor(Date.now() / MINUTE) * MINUTE - 3 * MINUTE;
    server.setKlines('ETHUSDT', '1m', klineSeries(start, 4, MINUTE)); // the last one is still forming
    const closed = await client().fetchKlines('ETHUSDT', ONE_MINUTE, start, start + 10 * MINUTE);
    expect(closed.map((b) => b.time)).toEqual([start, start + MINUTE, start + 2 * MINUTE]);
    const all = await client().fetchKlines('ETHUSDT', ONE_MINUTE, start, start + 10 * MINUTE, { includeOpen: true });
    expect(all).toHaveLength(4);
  });

  it('waits out Retry-After on 429 and retries', async () => {
    server.forceNext({ status: 429, retryAfterSec: 1 });
    const waits: number[] = [];
    const recording = (ms: number, signal?: AbortSignal) => {
      waits.push(ms);
      return sleep(ms, signal);
    };
    const frozen = Date.now();
    const bars = await client({ sleep: recording, now: () => frozen }).fetchKlines('BTCUSDT', ONE_MINUTE, T0, T0 + 5 * MINUTE);
    expect(bars).toHaveLength(5);
    expect(server.klineRequests.map((r) => r.status)).toEqual([429, 200]);
    // The server's 1 s, before the retry (the 10 ms backoff alone would have retried at once).
    expect(waits).toEqual([1_000]);
  });

  it('logs a 418 (IP banned) loudly, waits its Retry-After and retries', async () => {
    const lines: string[] = [];
    const loud = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
    server.forceNext({ status: 418, retryAfterSec: 0, body: { code: -1003, msg: 'Way too much request weight used; IP banned' } });
    const bars = await client({ logger: loud }).fetchKlines('BTCUSDT', ONE_MINUTE, T0, T0 + 2 * MINUTE);
    expect(bars).toHaveLength(2);
    expect(lines.some((l) => (JSON.parse(l) as { level: number }).level === 50 && /BANNED/.test(l))).toBe(true);
  });

  it('slows down until the next minute when the used weight nears the limit', async () => {
    server.usedWeight = 5_600;
    const nextMinute = Math.ceil(Date.now() / MINUTE) * MINUTE + 5 * MINUTE;
    // A clock standing 100 ms before a minute boundary; the waits asked for are recorded, not timed.
    const waits: number[] = [];
    const recording = (ms: number, signal?: AbortSignal) => {
      waits.push(ms);
      return sleep(ms, signal);
    };
    await client({ now: () => nextMinute - 100, sleep: recording }).fetchKlines('BTCUSDT', ONE_MINUTE, T0, T0 + 1_500 * MINUTE);
    expect(server.klineRequests).toHaveLength(2);
    // The 100 ms to the boundary plus the 250 ms rollover margin, before the second request only.
    expect(waits).toEqual([350]);
  });

  it('retries 5xx with backoff, but fails at once on a 4xx naming Binance’s error', async () => {
    server.forceNext({ status: 503, body: { code: -1001, msg: 'Internal error' } }, { status: 500 });
    expect(await client().fetchKlines('BTCUSDT', ONE_MINUTE, T0, T0 + 3 * MINUTE)).toHaveLength(3);
    expect(server.klineRequests.map((r) => r.status)).toEqual([503, 500, 200]);
    const failure = client().fetchKlines('NOPEUSDT', ONE_MINUTE, T0, T0 + MINUTE);
    await expect(failure).rejects.toBeInstanceOf(BinanceHttpError);
    await expect(failure).rejects.toThrow(/400 \(-1121\): Invalid symbol/);
    expect(server.klineRequests).toHaveLength(4);
  });

  it('gives up after maxAttempts', async () => {
    server.forceNext({ status: 502 }, { status: 502 }, { status: 502 });
    await expect(client({ maxAttempts: 3 }).fetchKlines('BTCUSDT', ONE_MINUTE, T0, T0 + MINUTE)).rejects.toThrow(
      /502.*gave up after 3 attempts/,
    );
  });

  it('stops waiting when aborted', async () => {
    server.forceNext({ status: 429, retryAfterSec: 3_600 });
    const controller = new AbortController();
    // Aborted as the hour's wait begins: only an abort that works ends it before the test's timeout.
    const waits: number[] = [];
    const aborting = (ms: number, signal?: AbortSignal) => {
      waits.push(ms);
      controller.abort();
      return sleep(ms, signal);
    };
    await expect(
      client({ sleep: aborting }).fetchKlines('BTCUSDT', ONE_MINUTE, T0, T0 + MINUTE, { signal: controller.signal }),
    ).rejects.toThrow(/abort/i);
    expect(waits).toEqual([3_600_000]);
    expect(server.klineRequests).toHaveLength(1);
  });

  it('maps every timeframe Binance has, and names the ones it has not', () => {
    const names = [
      [1, 1],
      [2, 1],
      [2, 3],
      [2, 5],
      [2, 15],
      [2, 30],
      [3, 1],
      [3, 2],
      [3, 4],
      [3, 6],
      [3, 8],
      [3, 12],
      [4, 1],
      [4, 3],
      [5, 1],
      [6, 1],
    ].map(([unit, value]) => binanceInterval(timeframeOf(unit ?? 0, value ?? 0)).name);
    expect(names).toEqual(['1s', '1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '3d', '1w', '1M']);
    expect(() => binanceInterval(timeframeOf(2, 7))).toThrow(ValidationError);
    expect(() => binanceInterval(timeframeOf(2, 7))).toThrow(/7m/);
  });
});

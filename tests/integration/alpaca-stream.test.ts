// AlpacaProvider's live side against a local fake Alpaca (real WebSocket protocol): the auth handshake, the
// documented stream errors, reconnects, bad messages, secrets kept out of logs; built from the settings alone.
import { join } from 'node:path';
import { calendarFor, ConfigError, type ContractSettings, ingestContracts, timeframeOf } from '@barstream/core';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, parseSettings } from '../../core/src/node/load-config.ts';
import { AlpacaProvider, type AlpacaProviderOptions } from '../../ingester/src/providers/alpaca/alpaca-provider.ts';
import { AlpacaRestClient } from '../../ingester/src/providers/alpaca/alpaca-rest-client.ts';
import { createProvider } from '../../ingester/src/providers/create-provider.ts';
import { FakeAlpacaServer, type FakeAlpacaOptions, type FakeAlpacaTrade } from '../fakes/alpaca-server.ts';
import { RecordingSink, until } from '../fakes/recording-sink.ts';
import { CONDITION_TIMEOUT_MS } from '../support/condition-timeout.ts';
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

/** A pino logger writing every line (debug and up) into `lines`. */
function capturingLogger(lines: string[]) {
  return pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
}

describe('Alpaca stream', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function setup(options: Partial<AlpacaProviderOptions> = {}, fakeOptions: Partial<FakeAlpacaOptions> = {}) {
    const server = await FakeAlpacaServer.start({ keyId: KEY, secretKey: SECRET, ...fakeOptions });
    const provider = new AlpacaProvider({
      dataUrl: server.dataUrl,
      streamUrl: server.streamUrl,
      feed: 'iex',
      adjustment: 'raw',
      keyId: KEY,
      secretKey: SECRET,
      symbols: ['SPY'],
      logger,
      staleAfterMs: 5_000,
      reconnectBackoff: { initialMs: 20, maxMs: 100 },
      configurationErrorDelayMs: 50,
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

  it('authenticates with a message after "connected", subscribes trades and quotes, and parses them', async () => {
    const { server, sink } = await setup({ symbols: ['spy', 'AAPL'] });
    await until(() => sink.connection.length === 1, 'the subscription', CONDITION_TIMEOUT_MS);
    const c = server.connections[0];
    expect(c?.feed).toBe('iex');
    expect(c?.received.map((m) => JSON.parse(m) as unknown)).toEqual([
      { action: 'auth', key: KEY, secret: SECRET },
      { action: 'subscribe', trades: ['SPY', 'AAPL'], quotes: ['SPY', 'AAPL'] },
    ]);
    server.trade(trade(1, { time: '2024-03-05T14:30:01.123456789Z' }), trade(2, { symbol: 'AAPL', price: 170.05, size: 3 }));
    server.quote('SPY', 512.3, 512.35, '2024-03-05T14:30:02Z');
    await until(() => sink.trades.length === 2 && sink.quotes.length === 1, 'two trades and a quote', CONDITION_TIMEOUT_MS);
    expect(sink.trades).toEqual([
      { contractId: 'SPY', time: T0 + 1_123.456, price: 512.34, volume: 100, side: 'unknown', tradeId: 'C1' },
      { contractId: 'AAPL', time: T0 + 2_000, price: 170.05, volume: 3, side: 'unknown', tradeId: 'C2' },
    ]);
    expect(sink.quotes).toEqual([{ contractId: 'SPY', time: T0 + 2_000, bestBid: 512.3, bestAsk: 512.35 }]);
    expect(sink.connection).toEqual([true]);
  });

  it('reconnects after a drop, reporting false then true, without repeating a trade', async () => {
    const { server, sink } = await setup();
    await until(() => sink.connection.length === 1, 'the subscription', CONDITION_TIMEOUT_MS);
    server.trade(trade(1), trade(2));
    await until(() => sink.trades.length === 2, 'trades before the drop', CONDITION_TIMEOUT_MS);
    server.terminateAll();
    await until(() => sink.connection.length === 3, 'the reconnection', CONDITION_TIMEOUT_MS);
    expect(sink.connection).toEqual([true, false, true]);
    server.trade(trade(2)); // delivered again by the server: already seen
    server.trade(trade(3));
    await until(() => sink.trades.length >= 3, 'a trade after reconnecting', CONDITION_TIMEOUT_MS);
    expect(sink.tradeIds()).toEqual(['C1', 'C2', 'C3']);
    expect(server.connections).toHaveLength(2);
  });

  it('surfaces 402 auth failed by its code, never reports connected, and keeps retrying', async () => {
    const lines: string[] = [];
    const { server, provider, sink } = await setup({ secretKey: 'wrong-secret', logger: capturingLogger(lines) });
    await until(() => server.connections.length >= 2, 'a retry after the auth failure', CONDITION_TIMEOUT_MS);
    expect(sink.connection).toEqual([]);
    expect(provider.streamErrors[0]?.message).toMatch(/402 \(auth failed\).*ALPACA_KEY_ID/);
    const errors = lines.map((l) => JSON.parse(l) as { level: number; code?: number; msg: string }).filter((l) => l.level === 50);
    expect(errors[0]).toMatchObject({ code: 402 });
  });

  it('surfaces 406 connection limit exceeded when another connection holds the key', async () => {
    const first = await setup();
    await until(() => first.sink.connection.length === 1, 'the first subscription', CONDITION_TIMEOUT_MS);
    const second = new AlpacaProvider({
      dataUrl: first.server.dataUrl,
      streamUrl: first.server.streamUrl,
      feed: 'iex',
      adjustment: 'raw',
      keyId: KEY,
      secretKey: SECRET,
      symbols: ['SPY'],
      logger,
      reconnectBackoff: { initialMs: 20, maxMs: 100 },
    });
    const sink = new RecordingSink();
    await second.start(sink);
    try {
      await until(() => second.streamErrors.length >= 1, 'the 406 error', CONDITION_TIMEOUT_MS);
      expect(second.streamErrors[0]?.message).toMatch(/406 \(connection limit exceeded\)/);
      // Retried with the usual backoff (the vendor may still count a connection that just dropped).
      await until(() => second.streamErrors.length >= 2, 'a retry refused again', CONDITION_TIMEOUT_MS);
      expect(sink.connection).toEqual([]);
      expect(first.sink.connection).toEqual([true]);
    } finally {
      await second.stop();
    }
  });

  it('gets 404 auth timeout from a server that waits longer than the handshake allows, and reconnects', async () => {
    // The fake loses every auth message, so its 10 s deadline (100 ms here) passes first.
    const { server, provider, sink } = await setup({}, { authTimeoutMs: 100, ignoreAuth: true });
    await until(() => provider.streamErrors.length >= 1, 'the 404 error', CONDITION_TIMEOUT_MS);
    expect(provider.streamErrors[0]?.message).toMatch(/404 \(auth timeout\)/);
    expect(sink.connection).toEqual([]);
    await until(() => server.connections.length >= 2, 'a reconnect after the timeout', CONDITION_TIMEOUT_MS);
  });

  it('drops a silent connection and reconnects', async () => {
    // The paused socket stays open on the server: allow the reconnect a second connection.
    // A second of silence: far above any event-loop stall of a loaded machine, so only the pause trips it.
    const { server, sink } = await setup({ staleAfterMs: 1_000 }, { connectionLimit: 2 });
    await until(() => sink.connection.length === 1, 'the subscription', CONDITION_TIMEOUT_MS);
    // The fake answers pings, so silence needs a socket that stops answering: pause it.
    server.connections[0]?.socket.pause();
    await until(() => sink.connection.length === 3, 'a reconnection after the silence', CONDITION_TIMEOUT_MS);
    expect(sink.connection).toEqual([true, false, true]);
  });

  it('rejects 1,000 bad messages with reasons, delivers none of them, and keeps the connection', async () => {
    const { server, sink } = await setup();
    await until(() => sink.connection.length === 1, 'the subscription', CONDITION_TIMEOUT_MS);
    const valid = { T: 't', S: 'SPY', i: 9, x: 'V', p: 1.5, s: 2, t: '2024-03-05T14:30:00Z', z: 'C' };
    const bad: unknown[] = [
      { ...valid, p: 'abc' },
      { ...valid, p: -1 },
      { ...valid, s: -5 },
      { ...valid, t: 'yesterday' },
      { ...valid, t: '2024-02-30T10:00:00Z' },
      { ...valid, i: 1.5 },
      { ...valid, S: 'TSLA' },
      { ...valid, S: undefined },
      { T: 'q', S: 'SPY', bp: 'x' },
      { T: 'zz' },
      42,
      null,
    ];
    const frames: string[] = [];
    for (let i = 0; frames.length < 1_000; i++) {
      const kind = i % 14;
      if (kind === 12) frames.push('not json {');
      else if (kind === 13) frames.push(JSON.stringify({ T: 't' }));
      else frames.push(JSON.stringify([bad[kind]]));
    }
    for (const frame of frames) server.sendRaw(frame);
    server.trade(trade(10));
    await until(() => sink.trades.length === 1, 'the valid trade after the bad ones', CONDITION_TIMEOUT_MS);
    expect(sink.rejected).toHaveLength(1_000);
    const reasons = new Set(sink.rejected.map((r) => r.reason.replace(/: .*/, '')));
    expect([...reasons].every((r) => r.startsWith('alpaca'))).toBe(true);
    expect(sink.rejected.map((r) => r.reason)).toContain('alpaca: invalid trade: p: Invalid input: expected number, received string');
    expect(sink.rejected.some((r) => /trade of TSLA, not subscribed/.test(r.reason))).toBe(true);
    expect(sink.rejected.some((r) => /t: not an RFC-3339 timestamp/.test(r.reason))).toBe(true);
    expect(sink.tradeIds()).toEqual(['C10']);
    expect(server.connections).toHaveLength(1);
  });

  it('never writes the key or the secret to the log, whatever happens', async () => {
    const lines: string[] = [];
    const { server, sink } = await setup({ logger: capturingLogger(lines) });
    await until(() => sink.connection.length === 1, 'the subscription', CONDITION_TIMEOUT_MS);
    server.terminateAll();
    await until(() => sink.connection.length === 3, 'the reconnection', CONDITION_TIMEOUT_MS);
    server.sendRaw('{"bad": true}');
    server.forceNext({ status: 500 }, { status: 403, body: { message: 'forbidden' } });
    await until(() => sink.rejected.length === 1, 'the rejected frame', CONDITION_TIMEOUT_MS);
    const client = new AlpacaRestClient({
      dataUrl: server.dataUrl,
      keyId: KEY,
      secretKey: SECRET,
      feed: 'iex',
      adjustment: 'raw',
      logger: capturingLogger(lines),
      backoff: { initialMs: 1, maxMs: 5 },
    });
    await expect(client.fetchBars('SPY', ONE_MINUTE, T0, T0 + MINUTE)).rejects.toThrow(/403/);
    expect(lines.length).toBeGreaterThan(3);
    const all = lines.join('\n');
    expect(all).not.toContain(KEY);
    expect(all).not.toContain(SECRET);
  });
});

describe('Alpaca from the settings', () => {
  const env = { INGEST_PROVIDER: 'alpaca', INGEST_CONTRACTS: 'SPY', ALPACA_KEY_ID: KEY, ALPACA_SECRET_KEY: SECRET };

  it('runs from config/settings.yaml and the environment alone: SPY on the xnys calendar, the feed appended to the stream URL', () => {
    const { settings, rootDir } = loadConfig({ ...env, BARSTREAM_CONFIG: join(process.cwd(), 'config', 'settings.yaml') });
    const contracts = ingestContracts(settings);
    expect(calendarFor(settings, contracts[0] as ContractSettings)).toMatchObject({ name: 'xnys', timezone: 'America/New_York' });
    const provider = createProvider(settings, contracts, logger, rootDir);
    expect(provider).toBeInstanceOf(AlpacaProvider);
    expect((provider as AlpacaProvider).streamFeedUrl).toBe('wss://stream.data.alpaca.markets/v2/iex');
  });

  it('refuses to start without the key and secret, naming the variables', () => {
    const settings = parseSettings(
      { session_calendars: { xnys: { timezone: 'America/New_York', session_open: '09:30' } } },
      { ...env, ALPACA_SECRET_KEY: '' },
    );
    expect(() => createProvider(settings, ingestContracts(settings), logger, process.cwd())).toThrow(ConfigError);
    expect(() => createProvider(settings, ingestContracts(settings), logger, process.cwd())).toThrow(
      /ALPACA_KEY_ID and ALPACA_SECRET_KEY are required/,
    );
  });
});

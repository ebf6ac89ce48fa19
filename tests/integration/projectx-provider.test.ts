// ProjectXProvider against a local fake Gateway: live trades and quotes over a real SignalR WebSocket,
// reconnects and resubscription, malformed messages, and history through fetchBars.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/src/index.ts';
import { ProjectXAuthError } from '../../ingester/src/providers/projectx/projectx-errors.ts';
import { ProjectXProvider, type ProjectXProviderOptions } from '../../ingester/src/providers/projectx/projectx-provider.ts';
import { FakeProjectXServer } from '../fakes/projectx-server.ts';
import { RecordingSink, until } from '../fakes/recording-sink.ts';
import { quietLogger } from '../support/quiet-logger.ts';

const ES = 'CON.F.US.EP.M25';
const NQ = 'CON.F.US.ENQ.M25';
const T0 = Date.UTC(2025, 4, 7, 14, 30, 1);
const MINUTE = 60_000;

let fake: FakeProjectXServer;
let provider: ProjectXProvider;
let sink: RecordingSink;

function options(overrides: Partial<ProjectXProviderOptions> = {}): ProjectXProviderOptions {
  return {
    apiUrl: fake.url,
    marketHubUrl: fake.hubUrl,
    username: 'alice',
    apiKey: 'secret-key',
    contractIds: [ES, NQ],
    live: false,
    tokenRefreshMs: 3_600_000,
    logger: quietLogger('projectx-test'),
    backoff: { initialMs: 20, maxMs: 200 },
    ...overrides,
  };
}

const subscribed = (contractId: string) =>
  fake.hub.subscribers('SubscribeContractTrades', contractId) === 1 && fake.hub.subscribers('SubscribeContractQuotes', contractId) === 1;

beforeAll(async () => {
  const bars = Array.from({ length: 90 }, (_, i) => ({
    time: T0 - 60_000 * (90 - i),
    open: 100 + i,
    high: 101 + i,
    low: 99 + i,
    close: 100.5 + i,
    volume: i + 1,
  }));
  fake = await FakeProjectXServer.start({ username: 'alice', apiKey: 'secret-key', bars, hubPingIntervalMs: 200 });
});
afterAll(async () => {
  await fake?.close();
});
describe('ProjectXProvider live feed', () => {
  beforeEach(async () => {
    sink = new RecordingSink();
    provider = new ProjectXProvider(options());
    await provider.start(sink);
    await until(() => sink.connection.length === 1 && subscribed(ES) && subscribed(NQ), 'first subscription');
  });
  afterEach(async () => {
    await provider.stop();
  });

  it('reports connected only once both contracts are subscribed', () => {
    expect(sink.connection).toEqual([true]);
    expect(fake.hub.invocationsOf('SubscribeContractTrades').map((i) => i.args[0])).toEqual(expect.arrayContaining([ES, NQ]));
  });

  it('parses trades from array and single-object payloads, keeping 7-digit fractions as microseconds', async () => {
    fake.hub.pushTrade(ES, [
      { symbolId: 'F.US.EP', price: 5600.25, timestamp: '2025-05-07T14:30:01.1234567+00:00', type: 0, volume: 2 },
      { symbolId: 'F.US.EP', price: 5600.5, timestamp: '2025-05-07T09:30:01.0000015-05:00', type: 1, volume: 1 },
    ]);
    fake.hub.pushTrade(NQ, { symbolId: 'F.US.ENQ', price: 21000, timestamp: '2025-05-07T14:30:02Z', type: 2, volume: 3 });
    await until(() => sink.trades.length === 3, 'three trades');
    expect(sink.trades).toEqual([
      { contractId: ES, time: T0 + 123.457, price: 5600.25, volume: 2, side: 'buy' },
      { contractId: ES, time: T0 + 0.002, price: 5600.5, volume: 1, side: 'sell' },
      { contractId: NQ, time: T0 + 1000, price: 21000, volume: 3, side: 'unknown' },
    ]);
    expect(sink.rejected).toEqual([]);
  });

  it('merges partial quotes per contract', async () => {
    fake.hub.pushQuote(ES, {
      symbol: 'F.US.EP',
      lastPrice: 5600,
      bestBid: 5599.75,
      bestAsk: 5600.25,
      change: 3,
      volume: 10,
      lastUpdated: '2025-05-07T14:30:01+00:00',
      timestamp: '2025-05-07T14:30:01+00:00',
    });
    fake.hub.pushQuote(NQ, { symbol: 'F.US.ENQ', lastPrice: 21000, timestamp: '2025-05-07T14:30:01+00:00' });
    fake.hub.pushQuote(ES, { bestBid: 5600, lastUpdated: '2025-05-07T14:30:02.5+00:00' });
    await until(() => sink.quotes.length === 3, 'three quotes');
    expect(sink.quotes[2]).toEqual({ contractId: ES, time: T0 + 1500, lastPrice: 5600, bestBid: 5600, bestAsk: 5600.25 });
    expect(sink.quotes[1]).toEqual({ contractId: NQ, time: T0, lastPrice: 21000 });
  });

  it('rejects malformed hub payloads one by one without dropping the connection', async () => {
    fake.hub.pushTrade(ES, [
      { price: 'high', timestamp: '2025-05-07T14:30:01Z', type: 0, volume: 1 },
      { price: 5600, timestamp: '2025-05-07T14:30:01', type: 0, volume: 1 },
      { price: 5601, timestamp: '2025-05-07T14:30:01Z', type: 0, volume: 1 },
    ]);
    fake.hub.pushInvocation('GatewayTrade', [42, { price: 1, timestamp: '2025-05-07T14:30:01Z', volume: 1 }]);
    fake.hub.pushInvocation('GatewayTrade', [ES]);
    fake.hub.pushQuote(ES, { bestBid: 'none', timestamp: '2025-05-07T14:30:01Z' });
    fake.hub.pushQuote(ES, { bestBid: 5600 });
    await until(() => sink.rejected.length === 6, 'six rejections');
    expect(sink.rejected.map((r) => r.reason)).toEqual([
      expect.stringContaining('price'),
      expect.stringContaining('timestamp'),
      expect.stringContaining('contractId'),
      expect.stringContaining('GatewayTrade'),
      expect.stringContaining('bestBid'),
      expect.stringContaining('no timestamp'),
    ]);
    expect(sink.trades).toEqual([{ contractId: ES, time: T0, price: 5601, volume: 1, side: 'buy' }]);
    expect(sink.connection).toEqual([true]);
    expect(provider.hub.builds).toBe(1);
  });

  it('subscribes a contract added later (the watchlist) now and after a reconnect; unsubscribes a removed one', async () => {
    const MES = 'CON.F.US.MES.M25';
    const contract = {
      id: MES,
      provider: 'projectx' as const,
      symbol: 'MES',
      name: 'MES',
      description: '',
      tick_size: 0.25,
      session_calendar: 'cme_globex',
    };
    await provider.addContract(contract);
    expect(subscribed(MES)).toBe(true);
    expect(fake.hub.pushTrade(MES, { price: 5600.25, timestamp: '2025-05-07T14:30:01Z', type: 0, volume: 2 })).toBe(1);
    await until(() => sink.trades.length === 1, 'a trade of the added contract');
    fake.hub.dropAll();
    await until(() => sink.connection.length === 3 && subscribed(MES), 'resubscribed after the reconnect');
    await provider.removeContract(MES);
    expect(fake.hub.subscribers('SubscribeContractTrades', MES)).toBe(0);
    expect(fake.hub.subscribers('SubscribeContractQuotes', MES)).toBe(0);
    expect(subscribed(ES) && subscribed(NQ)).toBe(true);
    expect(sink.connection).toEqual([true, false, true]);
  });

  it('survives a frame that is not SignalR JSON: reconnects, resubscribes, trades flow again', async () => {
    fake.hub.pushRaw('this is not json\x1e');
    await until(() => sink.connection.length === 3, 'false then true');
    expect(sink.connection).toEqual([true, false, true]);
    await until(() => subscribed(ES), 'resubscribed');
    fake.hub.pushTrade(ES, { price: 5600, timestamp: '2025-05-07T14:30:01Z', type: 0, volume: 1 });
    await until(() => sink.trades.length === 1, 'a trade after recovery');
  });

  it('after a network cut reconnects, subscribes again and reports false then true', async () => {
    const before = fake.hub.invocationsOf('SubscribeContractTrades').length;
    fake.hub.dropAll();
    await until(() => sink.connection.length === 3, 'false then true');
    expect(sink.connection).toEqual([true, false, true]);
    // The fake only sends trades to connections that subscribed on their own: delivery proves resubscription.
    expect(fake.hub.invocationsOf('SubscribeContractTrades').length).toBe(before + 2);
    expect(fake.hub.pushTrade(ES, { price: 5602, timestamp: '2025-05-07T14:30:03Z', type: 1, volume: 4 })).toBe(1);
    await until(() => sink.trades.length === 1, 'a trade after reconnect');
    expect(sink.trades[0]).toMatchObject({ contractId: ES, price: 5602, side: 'sell' });
    expect(provider.hub.builds).toBe(1);
  });

  it('logs in afresh when the hub refuses the old token during automatic reconnects', async () => {
    fake.rest.revokeAllTokens();
    fake.hub.dropAll();
    await until(() => sink.connection.length === 3, 'false then true');
    expect(fake.hub.rejectedUpgrades).toBeGreaterThanOrEqual(1);
    // The same HubConnection recovered (its URL now carries the new token): no rebuild was needed.
    expect(provider.hub.builds).toBe(1);
    expect(fake.hub.pushTrade(ES, { price: 5603, timestamp: '2025-05-07T14:30:04Z', type: 0, volume: 1 })).toBe(1);
    await until(() => sink.trades.length === 1, 'a trade after reconnect');
  });

  it('rebuilds the connection with a fresh login when the hub closes it for good and refuses the old token', async () => {
    const logins = fake.rest.callsTo('/api/Auth/loginKey').length;
    fake.rest.revokeAllTokens();
    fake.hub.closeAll({ error: 'session ended' });
    await until(() => sink.connection.length === 3, 'false then true');
    expect(sink.connection).toEqual([true, false, true]);
    expect(provider.hub.builds).toBeGreaterThanOrEqual(2);
    expect(fake.hub.rejectedUpgrades).toBeGreaterThanOrEqual(1);
    expect(fake.rest.callsTo('/api/Auth/loginKey').length).toBeGreaterThan(logins);
    expect(fake.hub.pushTrade(NQ, { price: 21001, timestamp: '2025-05-07T14:30:03Z', type: 0, volume: 1 })).toBe(1);
    await until(() => sink.trades.length === 1, 'a trade after rebuild');
  });

  it('fetchBars asks for the timeframe in ProjectX units and returns closed bars ascending', async () => {
    const from = T0 - 30 * MINUTE;
    const bars = await provider.fetchBars(ES, provider.historyTimeframe, from, T0);
    expect(bars.map((b) => b.time)).toEqual(Array.from({ length: 30 }, (_, i) => from + i * MINUTE));
    expect(bars[0]).toEqual({ time: from, open: 160, high: 161, low: 159, close: 160.5, volume: 61 });
    expect(fake.rest.callsTo('/api/History/retrieveBars').at(-1)?.body).toEqual({
      contractId: ES,
      live: false,
      startTime: new Date(from).toISOString(),
      endTime: new Date(T0).toISOString(),
      unit: 2,
      unitNumber: 1,
      limit: 20_000,
      includePartialBar: false,
    });
  });
});

describe('ProjectXProvider configuration', () => {
  it('names the missing credentials', () => {
    expect(() => new ProjectXProvider(options({ username: undefined, apiKey: '' }))).toThrow(ConfigError);
    expect(() => new ProjectXProvider(options({ username: undefined, apiKey: '' }))).toThrow(/PROJECTX_USERNAME.*PROJECTX_API_KEY/);
    expect(() => new ProjectXProvider(options({ apiKey: undefined }))).toThrow(/PROJECTX_API_KEY/);
  });

  it('fails start with a clear message when the key is refused, without echoing the key', async () => {
    const refused = new ProjectXProvider(options({ apiKey: 'wrong-key' }));
    const error = await refused.start(new RecordingSink()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProjectXAuthError);
    expect((error as Error).message).toBe('ProjectX login failed for user alice: Invalid credentials.');
    expect((error as Error).message).not.toContain('wrong-key');
    await refused.stop();
  });
});

// A BroadcasterService on free ports for integration tests, NOTIFYs from a separate connection,
// valid payloads of every relayed channel, and a barrier that waits until a client has everything.
import { CONDITION_TIMEOUT_MS } from './condition-timeout.ts';
import pg from 'pg';
import type WebSocket from 'ws';
import { BroadcasterService, type BroadcasterServiceOptions } from '../../broadcaster/src/broadcaster-service.ts';
import type { ChannelKey } from '../../core/src/channels.ts';
import { parseSettings } from '../../core/src/node/load-config.ts';
import { notifyAll } from '../../core/src/node/notify.ts';
import { quietLogger } from './quiet-logger.ts';
import type { WsCollector } from './ws-collector.ts';

export type BroadcasterOverrides = Partial<
  Pick<BroadcasterServiceOptions, 'limits' | 'heartbeatMs' | 'paranoidCheckMs' | 'writeIntervalMs'>
> & {
  token?: string;
  allowedOrigins?: string[];
  /** auth.mode all: tickets signed with this secret are required. */
  ticketSecret?: string;
};

export async function startBroadcaster(databaseUrl: string, overrides: BroadcasterOverrides = {}): Promise<BroadcasterService> {
  const settings = parseSettings({
    contracts: [{ id: 'TEST.A', provider: 'simulated', symbol: 'TEST.A', tick_size: 0.25, session_calendar: 'utc' }],
    ingester: { contracts: ['TEST.A'] },
    broadcaster: { token: overrides.token, allowed_origins: overrides.allowedOrigins ?? [] },
    ...(overrides.ticketSecret === undefined ? {} : { auth: { mode: 'all', secret: overrides.ticketSecret } }),
  });
  const service = new BroadcasterService({
    settings,
    databaseUrl,
    logger: quietLogger('broadcaster'),
    port: 0,
    metricsPort: 0,
    limits: overrides.limits,
    heartbeatMs: overrides.heartbeatMs,
    paranoidCheckMs: overrides.paranoidCheckMs,
    writeIntervalMs: overrides.writeIntervalMs,
    ticketSecret: overrides.ticketSecret,
  });
  await service.start();
  return service;
}

export function wsUrl(service: BroadcasterService, query = ''): string {
  return `ws://127.0.0.1:${service.server.port}/${query}`;
}

/** pg_notify from its own connection: one transaction per call, payloads delivered in order. */
export class Notifier {
  private constructor(private readonly client: pg.Client) {}

  static async connect(url: string): Promise<Notifier> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    client.on('error', () => undefined); // the resync test restarts the server under it
    return new Notifier(client);
  }

  async notify(channel: ChannelKey, payloads: readonly object[]): Promise<void> {
    await notifyAll(
      this.client,
      channel,
      payloads.map((p) => JSON.stringify(p)),
    );
  }

  /** Payloads as written (the ingester's columnar form is text it builds, not an object to stringify). */
  async notifyRaw(channel: ChannelKey, payloads: readonly string[]): Promise<void> {
    await notifyAll(this.client, channel, payloads);
  }

  end(): Promise<void> {
    return this.client.end();
  }
}

const BASE_TIME = Date.parse('2026-03-02T14:00:00Z');

/** A forming bar whose volume carries `seq`, so a test can tell messages apart. */
export function barPayload(contractId: string, unit: number, value: number, seq: number) {
  const price = 5000 + seq * 0.25;
  return {
    type: 'ohlc',
    contract_id: contractId,
    timestamp: new Date(BASE_TIME + seq * 60_000).toISOString(),
    open: price,
    high: price + 1,
    low: price - 1,
    close: price,
    volume: seq,
    timeframe_unit: unit,
    timeframe_value: value,
    is_closed: false,
  };
}

/** A tick batch whose first price carries `seq`; `count` trades (~90 bytes each) sizes the payload. */
export function ticksPayload(contractId: string, seq: number, count = 1, extra: Record<string, unknown> = {}) {
  const ticks = Array.from({ length: count }, (_, i) => ({
    timestamp: new Date(BASE_TIME + seq * 1000 + i).toISOString(),
    price: 5000 + seq + i * 0.25,
    volume: 1,
    side: 'buy',
  }));
  return { type: 'ticks', contract_id: contractId, ticks, ...extra };
}

/** A signal whose signal_id is `seq`; `padBytes` of details sizes the payload (NOTIFY max ~8000). */
export function signalPayload(contractId: string, seq: number, padBytes = 0) {
  const time = new Date(BASE_TIME + seq * 60_000).toISOString();
  return {
    type: 'signal',
    signal_id: seq,
    analyzer_id: 'test',
    contract_id: contractId,
    timeframe: '1m',
    timestamp: time,
    trigger_timestamp: time,
    signal_type: 'buy',
    signal_price: 5000,
    details: padBytes > 0 ? { pad: 'x'.repeat(padBytes) } : {},
  };
}

export function signalsStoredPayload(contractId: string, count: number) {
  return {
    type: 'signals_stored',
    analyzer_id: 'test',
    contract_id: contractId,
    timeframe: '1m',
    from: new Date(BASE_TIME).toISOString(),
    to: new Date(BASE_TIME + count * 60_000).toISOString(),
    count,
  };
}

let syncId = 0;

/** Resolves once `client` has received everything the server wrote to it before now: the pong to
 * this ping is written after it, on the same ordered connection. */
export async function settled(client: WsCollector, timeoutMs = CONDITION_TIMEOUT_MS): Promise<void> {
  const id = `sync-${++syncId}`;
  client.send({ type: 'ping', id });
  await client.waitFor((m) => m.type === 'pong' && m.id === id, timeoutMs);
}

/** The next close of `socket`, with its code and reason (attach before the close can happen). */
export function nextClose(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    socket.once('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString('utf8') })),
  );
}

export async function subscribe(client: WsCollector, message: { channel: string; contract_id: string; timeframe?: string }): Promise<void> {
  const before = client.ofType('subscribed').length;
  client.send({ type: 'subscribe', ...message });
  await client.waitFor(() => client.ofType('subscribed').length > before);
}

/** Polls `read` until `done` holds for its value (for server state that has no event). */
export async function eventually<T>(read: () => T | Promise<T>, done: (value: T) => boolean, timeoutMs = CONDITION_TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms (last value: ${JSON.stringify(value)})`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

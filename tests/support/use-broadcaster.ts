// The broadcaster tests' shared ground: one migrated database per test file, broadcasters on free ports
// started on it, a Notifier sending NOTIFYs from its own connection, and WebSocket clients, every one
// closed after the file's last test, then the notifier, the broadcasters and the database.
import { afterAll, beforeAll } from 'vitest';
import type { BroadcasterService } from '../../broadcaster/src/broadcaster-service.ts';
import { type BroadcasterOverrides, Notifier, startBroadcaster, subscribe, wsUrl } from './broadcaster-fixture.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';
import { WsCollector } from './ws-collector.ts';

export type Subscription = { channel: string; contract_id: string; timeframe?: string };

export interface BroadcasterGround {
  /** The file's database, broadcaster (the first one) and notifier, from its first test on. */
  readonly db: TestDatabase;
  readonly service: BroadcasterService;
  readonly notifier: Notifier;
  /** Every broadcaster started, `instances` of them, in start order. */
  readonly services: readonly BroadcasterService[];
  /** Every client connected so far, in connection order (closed ones included). */
  readonly clients: readonly WsCollector[];
  /** A client of the broadcaster connected with `query` (a token, a ticket) and `headers`, subscribed to nothing. */
  connect(query?: string, headers?: Record<string, string>): Promise<WsCollector>;
  /** A client of the broadcaster subscribed to each of `subscriptions` (none: it gets every relayed message). */
  client(...subscriptions: Subscription[]): Promise<WsCollector>;
  /** The same on another of the file's broadcasters. */
  clientOf(target: BroadcasterService, ...subscriptions: Subscription[]): Promise<WsCollector>;
}

/** Registers this file's beforeAll/afterAll: `instances` broadcasters (default 1), each with `overrides`. */
export function useBroadcaster(overrides: BroadcasterOverrides = {}, instances = 1): BroadcasterGround {
  let db: TestDatabase | undefined;
  let notifier: Notifier | undefined;
  const services: BroadcasterService[] = [];
  const open: WsCollector[] = [];
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useBroadcaster: ${what} is read before the file's beforeAll ran`);
    return value;
  };
  const connectTo = async (target: BroadcasterService, query = '', headers?: Record<string, string>): Promise<WsCollector> => {
    const c = await WsCollector.connect(wsUrl(target, query), headers);
    open.push(c);
    return c;
  };
  const clientOf = async (target: BroadcasterService, ...subscriptions: Subscription[]): Promise<WsCollector> => {
    const c = await connectTo(target);
    for (const s of subscriptions) await subscribe(c, s);
    return c;
  };
  beforeAll(async () => {
    db = await createTestDatabase();
    for (let i = 0; i < instances; i++) services.push(await startBroadcaster(db.url, overrides));
    notifier = await Notifier.connect(db.url);
  });
  afterAll(async () => {
    for (const c of open) c.close();
    await notifier?.end();
    for (const s of services) await s.stop();
    await db?.drop();
  });
  return {
    get db() {
      return ready(db, 'the database');
    },
    get service() {
      return ready(services[0], 'the broadcaster');
    },
    get notifier() {
      return ready(notifier, 'the notifier');
    },
    services,
    clients: open,
    connect: (query, headers) => connectTo(ready(services[0], 'the broadcaster'), query, headers),
    client: (...subscriptions) => clientOf(ready(services[0], 'the broadcaster'), ...subscriptions),
    clientOf,
  };
}

// Two broadcasters on one database (issue #18, scale-out behind a load balancer): they are stateless
// relays of the same NOTIFY stream, so a client of each receives the same messages in the same order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BroadcasterService } from '../../broadcaster/src/broadcaster-service.ts';
import {
  barPayload,
  Notifier,
  settled,
  signalPayload,
  signalsStoredPayload,
  startBroadcaster,
  subscribe,
  ticksPayload,
  wsUrl,
} from '../support/broadcaster-fixture.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { WsCollector } from '../support/ws-collector.ts';

const RELAYED = new Set(['ohlc', 'ticks', 'signal', 'signals_stored']);

let db: TestDatabase;
let services: BroadcasterService[] = [];
let notifier: Notifier;
const clients: WsCollector[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  services = [await startBroadcaster(db.url), await startBroadcaster(db.url)];
  notifier = await Notifier.connect(db.url);
});
afterAll(async () => {
  for (const c of clients) c.close();
  await notifier?.end();
  for (const s of services) await s.stop();
  await db?.drop();
});

async function clientOf(
  service: BroadcasterService,
  ...subscriptions: Array<{ channel: string; contract_id: string; timeframe?: string }>
) {
  const c = await WsCollector.connect(wsUrl(service));
  clients.push(c);
  for (const s of subscriptions) await subscribe(c, s);
  return c;
}

const relayed = (c: WsCollector) => c.messages.filter((m) => RELAYED.has(String(m.type)));

describe('two broadcasters', () => {
  it('serve their clients the same messages in the same order', async () => {
    const [one, two] = services as [BroadcasterService, BroadcasterService];
    // Everything, and a narrower subscription, on each.
    const everything = [await clientOf(one), await clientOf(two)];
    const narrow = [
      await clientOf(one, { channel: 'bars', contract_id: 'TEST.A', timeframe: '1m' }, { channel: 'signals', contract_id: 'TEST.A' }),
      await clientOf(two, { channel: 'bars', contract_id: 'TEST.A', timeframe: '1m' }, { channel: 'signals', contract_id: 'TEST.A' }),
    ];
    for (let seq = 1; seq <= 40; seq++) {
      const contract = seq % 3 === 0 ? 'TEST.B' : 'TEST.A';
      await notifier.notify('ohlcUpdate', [barPayload(contract, 2, seq % 2 === 0 ? 5 : 1, seq)]);
      await notifier.notify('tickData', [ticksPayload(contract, seq, 1 + (seq % 4))]);
      if (seq % 5 === 0) await notifier.notify('signalDetected', [signalPayload(contract, seq)]);
    }
    await notifier.notify('signalsStored', [signalsStoredPayload('TEST.A', 120)]);
    const last = (c: WsCollector) => c.messages.some((m) => m.type === 'signals_stored');
    for (const c of [...everything, ...narrow]) {
      await c.waitFor(() => last(c));
      await settled(c);
    }
    const [a, b] = everything.map(relayed) as [Array<Record<string, unknown>>, Array<Record<string, unknown>>];
    expect(a.length).toBeGreaterThanOrEqual(40 + 40 + 8 + 1);
    expect(b).toEqual(a);
    const [na, nb] = narrow.map(relayed) as [Array<Record<string, unknown>>, Array<Record<string, unknown>>];
    expect(na.length).toBeGreaterThan(0);
    expect(na.length).toBeLessThan(a.length);
    expect(nb).toEqual(na);
  });
});

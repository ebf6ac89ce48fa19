// alert_created reaches the clients subscribed to ('alerts', contract) and to ('alerts', '*') — every
// contract — once each, byte for byte, and clients that never subscribed; an invalid one is dropped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BroadcasterService } from '../../broadcaster/src/broadcaster-service.ts';
import { Notifier, settled, signalPayload, startBroadcaster, subscribe, wsUrl } from '../support/broadcaster-fixture.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { WsCollector } from '../support/ws-collector.ts';

let db: TestDatabase;
let service: BroadcasterService;
let notifier: Notifier;
const open: WsCollector[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  service = await startBroadcaster(db.url);
  notifier = await Notifier.connect(db.url);
});
afterAll(async () => {
  for (const c of open) c.close();
  await notifier?.end();
  await service?.stop();
  await db?.drop();
});

function alertCreated(contractId: string, alertId: number) {
  return {
    type: 'alert_created',
    alert_id: alertId,
    rule: 'trend-start',
    contract_id: contractId,
    timeframe: '5m',
    setup_type: 'uptrend_start',
    severity: 'warning',
    direction: 'long',
    bar_time: '2025-03-17T10:00:00.000Z',
    entry_price: 5601.25,
    created_at: '2025-03-17T10:05:01.000Z',
    link: `/trends?contract=${contractId}&tf=5m&at=1742205600`,
  };
}

const alertIds = (c: WsCollector): string[] =>
  c.messages.filter((m) => m.type === 'alert_created').map((m) => `${String(m.contract_id)} #${String(m.alert_id)}`);

describe('broadcaster relays alert_created', () => {
  it('to alerts subscribers of the contract, of every contract (*), and to clients that never subscribed', async () => {
    const connect = async (...subs: Array<{ channel: string; contract_id: string }>): Promise<WsCollector> => {
      const c = await WsCollector.connect(wsUrl(service));
      open.push(c);
      for (const s of subs) await subscribe(c, s);
      return c;
    };
    const everything = await connect();
    const alertsX = await connect({ channel: 'alerts', contract_id: 'X' });
    const alertsAll = await connect({ channel: 'alerts', contract_id: '*' });
    const both = await connect({ channel: 'alerts', contract_id: '*' }, { channel: 'alerts', contract_id: 'X' });
    const signalsAll = await connect({ channel: 'signals', contract_id: '*' });

    await notifier.notify('alertCreated', [alertCreated('X', 1), alertCreated('Y', 2)]);
    await notifier.notify('alertCreated', [{ ...alertCreated('X', 3), severity: 'loud' }]); // invalid: dropped
    await notifier.notify('signalDetected', [signalPayload('X', 4)]);
    await everything.waitFor((m) => m.type === 'signal');
    await signalsAll.waitFor((m) => m.type === 'signal');
    for (const c of [alertsX, alertsAll, both]) await settled(c);

    expect(alertIds(everything)).toEqual(['X #1', 'Y #2']);
    expect(alertIds(alertsX)).toEqual(['X #1']);
    expect(alertIds(alertsAll)).toEqual(['X #1', 'Y #2']);
    expect(alertIds(both)).toEqual(['X #1', 'Y #2']);
    expect(alertIds(signalsAll)).toEqual([]);
    expect(alertsAll.messages.find((m) => m.type === 'alert_created')).toEqual(alertCreated('X', 1));
  });
});

// smc_update summaries reach the clients subscribed to the smc channel of their contract (and clients
// that never subscribed), byte for byte; an invalid one is dropped, never relayed.
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

function smcUpdate(contractId: string, events: number) {
  return {
    type: 'smc_update',
    study_id: 'smc_default',
    contract_id: contractId,
    timeframe: '5m',
    through: '2025-03-17T10:00:00.000Z',
    from: '2025-03-17T09:00:00.000Z',
    events,
    zones: 2,
  };
}

const smcLabels = (c: WsCollector): string[] =>
  c.messages.filter((m) => m.type === 'smc_update').map((m) => `${String(m.contract_id)} #${String(m.events)}`);

describe('broadcaster relays smc_update', () => {
  it('to smc subscribers of the contract and to clients that never subscribed', async () => {
    const connect = async (...subs: Array<{ channel: string; contract_id: string }>): Promise<WsCollector> => {
      const c = await WsCollector.connect(wsUrl(service));
      open.push(c);
      for (const s of subs) await subscribe(c, s);
      return c;
    };
    const everything = await connect();
    const smcX = await connect({ channel: 'smc', contract_id: 'X' });
    const signalsX = await connect({ channel: 'signals', contract_id: 'X' });

    await notifier.notify('smcUpdate', [smcUpdate('X', 1), smcUpdate('Y', 2)]);
    await notifier.notify('smcUpdate', [{ ...smcUpdate('X', 3), events: -1 }]); // invalid: dropped
    await notifier.notify('signalDetected', [signalPayload('X', 4)]);
    await everything.waitFor((m) => m.type === 'signal');
    await settled(smcX);
    await settled(signalsX);

    expect(smcLabels(everything)).toEqual(['X #1', 'Y #2']);
    expect(smcLabels(smcX)).toEqual(['X #1']);
    expect(smcLabels(signalsX)).toEqual([]);
    expect(smcX.messages.find((m) => m.type === 'smc_update')).toEqual(smcUpdate('X', 1));
    expect(smcX.ofType('subscribed')).toEqual([{ type: 'subscribed', channel: 'smc', contract_id: 'X' }]);
  });
});

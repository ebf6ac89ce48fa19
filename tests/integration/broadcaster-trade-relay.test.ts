// trade_update summaries reach the clients subscribed to the trades channel of the run's contract (and
// clients that never subscribed), byte for byte; an invalid one is dropped, never relayed.
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

function tradeUpdate(contractId: string, runId: number) {
  return {
    type: 'trade_update',
    run_id: runId,
    contract_id: contractId,
    status: 'running',
    through: '2025-03-17T10:00:00.000Z',
    orders: 2,
    fills: 1,
    trades: 0,
    equity_points: 1,
    equity: '10000.00000000',
  };
}

const tradeLabels = (c: WsCollector): string[] =>
  c.messages.filter((m) => m.type === 'trade_update').map((m) => `${String(m.contract_id)} #${String(m.run_id)}`);

describe('broadcaster relays trade_update', () => {
  it('to trades subscribers of the contract and to clients that never subscribed', async () => {
    const connect = async (...subs: Array<{ channel: string; contract_id: string }>): Promise<WsCollector> => {
      const c = await WsCollector.connect(wsUrl(service));
      open.push(c);
      for (const s of subs) await subscribe(c, s);
      return c;
    };
    const everything = await connect();
    const tradesX = await connect({ channel: 'trades', contract_id: 'X' });
    const signalsX = await connect({ channel: 'signals', contract_id: 'X' });

    await notifier.notify('tradeUpdate', [tradeUpdate('X', 1), tradeUpdate('Y', 2)]);
    await notifier.notify('tradeUpdate', [{ ...tradeUpdate('X', 3), fills: -1 }]); // invalid: dropped
    await notifier.notify('signalDetected', [signalPayload('X', 4)]);
    await everything.waitFor((m) => m.type === 'signal');
    await settled(tradesX);
    await settled(signalsX);

    expect(tradeLabels(everything)).toEqual(['X #1', 'Y #2']);
    expect(tradeLabels(tradesX)).toEqual(['X #1']);
    expect(tradeLabels(signalsX)).toEqual([]);
    expect(tradesX.messages.find((m) => m.type === 'trade_update')).toEqual(tradeUpdate('X', 1));
  });
});

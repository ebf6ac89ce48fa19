// trade_update summaries reach the clients subscribed to the trades channel of the run's contract (and
// clients that never subscribed), byte for byte; an invalid one is dropped, never relayed.
import { describe, expect, it } from 'vitest';
import { settled, signalPayload } from '../support/broadcaster-fixture.ts';
import type { WsCollector } from '../support/ws-collector.ts';
import { useBroadcaster } from '../support/use-broadcaster.ts';

const ground = useBroadcaster();

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
    const everything = await ground.client();
    const tradesX = await ground.client({ channel: 'trades', contract_id: 'X' });
    const signalsX = await ground.client({ channel: 'signals', contract_id: 'X' });

    await ground.notifier.notify('tradeUpdate', [tradeUpdate('X', 1), tradeUpdate('Y', 2)]);
    await ground.notifier.notify('tradeUpdate', [{ ...tradeUpdate('X', 3), fills: -1 }]); // invalid: dropped
    await ground.notifier.notify('signalDetected', [signalPayload('X', 4)]);
    await everything.waitFor((m) => m.type === 'signal');
    await settled(tradesX);
    await settled(signalsX);

    expect(tradeLabels(everything)).toEqual(['X #1', 'Y #2']);
    expect(tradeLabels(tradesX)).toEqual(['X #1']);
    expect(tradeLabels(signalsX)).toEqual([]);
    expect(tradesX.messages.find((m) => m.type === 'trade_update')).toEqual(tradeUpdate('X', 1));
  });
});

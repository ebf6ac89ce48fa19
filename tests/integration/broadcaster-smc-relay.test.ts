// smc_update summaries reach the clients subscribed to the smc channel of their contract (and clients
// that never subscribed), byte for byte; an invalid one is dropped, never relayed.
import { describe, expect, it } from 'vitest';
import { settled, signalPayload } from '../support/broadcaster-fixture.ts';
import type { WsCollector } from '../support/ws-collector.ts';
import { useBroadcaster } from '../support/use-broadcaster.ts';

const ground = useBroadcaster();

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
    const everything = await ground.client();
    const smcX = await ground.client({ channel: 'smc', contract_id: 'X' });
    const signalsX = await ground.client({ channel: 'signals', contract_id: 'X' });

    await ground.notifier.notify('smcUpdate', [smcUpdate('X', 1), smcUpdate('Y', 2)]);
    await ground.notifier.notify('smcUpdate', [{ ...smcUpdate('X', 3), events: -1 }]); // invalid: dropped
    await ground.notifier.notify('signalDetected', [signalPayload('X', 4)]);
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

// alert_created reaches the clients subscribed to ('alerts', contract) and to ('alerts', '*') — every
// contract — once each, byte for byte, and clients that never subscribed; an invalid one is dropped.
import { describe, expect, it } from 'vitest';
import { settled, signalPayload } from '../support/broadcaster-fixture.ts';
import type { WsCollector } from '../support/ws-collector.ts';
import { useBroadcaster } from '../support/use-broadcaster.ts';

const ground = useBroadcaster();

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
    const everything = await ground.client();
    const alertsX = await ground.client({ channel: 'alerts', contract_id: 'X' });
    const alertsAll = await ground.client({ channel: 'alerts', contract_id: '*' });
    const both = await ground.client({ channel: 'alerts', contract_id: '*' }, { channel: 'alerts', contract_id: 'X' });
    const signalsAll = await ground.client({ channel: 'signals', contract_id: '*' });

    await ground.notifier.notify('alertCreated', [alertCreated('X', 1), alertCreated('Y', 2)]);
    await ground.notifier.notify('alertCreated', [{ ...alertCreated('X', 3), severity: 'loud' }]); // invalid: dropped
    await ground.notifier.notify('signalDetected', [signalPayload('X', 4)]);
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

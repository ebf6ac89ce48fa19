// Two broadcasters on one database (issue #18, scale-out behind a load balancer): they are stateless
// relays of the same NOTIFY stream, so a client of each receives the same messages in the same order.
import { describe, expect, it } from 'vitest';
import type { BroadcasterService } from '../../broadcaster/src/broadcaster-service.ts';
import { barPayload, settled, signalPayload, signalsStoredPayload, ticksPayload } from '../support/broadcaster-fixture.ts';
import type { WsCollector } from '../support/ws-collector.ts';
import { useBroadcaster } from '../support/use-broadcaster.ts';

const RELAYED = new Set(['ohlc', 'ticks', 'signal', 'signals_stored']);

const ground = useBroadcaster({}, 2);

const relayed = (c: WsCollector) => c.messages.filter((m) => RELAYED.has(String(m.type)));

describe('two broadcasters', () => {
  it('serve their clients the same messages in the same order', async () => {
    const [one, two] = ground.services as [BroadcasterService, BroadcasterService];
    // Everything, and a narrower subscription, on each.
    const everything = [await ground.clientOf(one), await ground.clientOf(two)];
    const narrow = [
      await ground.clientOf(
        one,
        { channel: 'bars', contract_id: 'TEST.A', timeframe: '1m' },
        { channel: 'signals', contract_id: 'TEST.A' },
      ),
      await ground.clientOf(
        two,
        { channel: 'bars', contract_id: 'TEST.A', timeframe: '1m' },
        { channel: 'signals', contract_id: 'TEST.A' },
      ),
    ];
    for (let seq = 1; seq <= 40; seq++) {
      const contract = seq % 3 === 0 ? 'TEST.B' : 'TEST.A';
      await ground.notifier.notify('ohlcUpdate', [barPayload(contract, 2, seq % 2 === 0 ? 5 : 1, seq)]);
      await ground.notifier.notify('tickData', [ticksPayload(contract, seq, 1 + (seq % 4))]);
      if (seq % 5 === 0) await ground.notifier.notify('signalDetected', [signalPayload(contract, seq)]);
    }
    await ground.notifier.notify('signalsStored', [signalsStoredPayload('TEST.A', 120)]);
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

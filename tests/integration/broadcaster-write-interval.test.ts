// broadcaster.write_interval_ms on a real PostgreSQL: with writes to a client held for an interval
// (so several messages share one write), what a client receives is unchanged — every message, once,
// whole and in the order of the NOTIFYs — and control answers (subscribed, pong) still come.
import { describe, expect, it } from 'vitest';
import { barPayload, settled, subscribe, ticksPayload } from '../support/broadcaster-fixture.ts';
import { useBroadcaster } from '../support/use-broadcaster.ts';

/** Long enough that NOTIFYs sent one after another fall within one interval now and then. */
const WRITE_INTERVAL_MS = 50;

const ground = useBroadcaster({ writeIntervalMs: WRITE_INTERVAL_MS });

describe('broadcaster with a write interval', () => {
  it('delivers every message once, whole and in order, to each subscriber', async () => {
    const clients = await Promise.all([1, 2, 3].map(() => ground.connect()));
    for (const c of clients) {
      await subscribe(c, { channel: 'bars', contract_id: 'X', timeframe: '5m' });
      await subscribe(c, { channel: 'ticks', contract_id: 'X' });
    }
    const sequence: string[] = [];
    for (let seq = 1; seq <= 40; seq++) {
      // One NOTIFY per statement, alternating kinds, as the ingester's flushes send them.
      if (seq % 2 === 0) await ground.notifier.notify('ohlcUpdate', [barPayload('X', 2, 5, seq)]);
      else await ground.notifier.notify('tickData', [ticksPayload('X', seq)]);
      sequence.push(seq % 2 === 0 ? `bar ${seq}` : `ticks ${seq}`);
    }
    for (const c of clients) {
      await c.waitFor(() => c.messages.filter((m) => m.type === 'ohlc' || m.type === 'ticks').length >= sequence.length);
      await settled(c); // a pong after the last message: nothing more was on its way
      const received = c.messages.flatMap((m) => {
        if (m.type === 'ohlc') return [`bar ${Number(m.volume)}`];
        if (m.type === 'ticks') return [`ticks ${((m.ticks as Array<{ price: number }>)[0]?.price ?? 0) - 5000}`];
        return [];
      });
      expect(received).toEqual(sequence);
    }
  });
});

// Backpressure on a real PostgreSQL with real clients that stop reading: the others are not held
// up; the stalled one loses ticks (counted) but keeps bars and signals; too far behind, it is
// closed with a reason — and cut off if it never reads the close.
import { describe, expect, it } from 'vitest';
import type { BroadcasterService } from '../../broadcaster/src/broadcaster-service.ts';
import {
  barPayload,
  eventually,
  nextClose,
  settled,
  signalPayload,
  startBroadcaster,
  ticksPayload,
} from '../support/broadcaster-fixture.ts';
import { useBroadcaster } from '../support/use-broadcaster.ts';
import { resumeReading, stopReading } from '../support/ws-stall.ts';

const LIMITS = { dropTicksAboveBytes: 64 * 1024, closeAboveBytes: 1024 * 1024, closeGraceMs: 30_000 };
/** Kernel buffers on loopback hold a few MB before the server holds anything: rounds of ~330 KB,
 * as many as it takes, up to ~40 MB. */
const PER_ROUND = 50;
const MAX_ROUNDS = 120;
const TICKS_PER_BATCH = 75; // ~6.5 KB per NOTIFY, under PostgreSQL's 8000-byte limit
const SIGNAL_PAD = 6_500;

const ground = useBroadcaster({ limits: LIMITS });

async function metric(target: BroadcasterService, pattern: RegExp): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${target.metricsPort}/metrics`)).text();
  return Number(pattern.exec(text)?.[1] ?? 0);
}

const tooFarBehind = /^broadcaster_disconnects_total\{reason="too_far_behind"[^}]*\} (\d+)$/m;

describe('broadcaster backpressure', () => {
  it('drops ticks for a stalled client, keeps its bars, and does not delay the others', async () => {
    const healthy = await ground.client({ channel: 'ticks', contract_id: 'BP' }, { channel: 'bars', contract_id: 'BP' });
    const stalled = await ground.client({ channel: 'ticks', contract_id: 'BP' }, { channel: 'bars', contract_id: 'BP' });
    stopReading(stalled.socket);
    let ticksSent = 0;
    let seq = 0;
    let extraRounds = 3; // bars keep flowing after the drops began
    for (let round = 1; round <= MAX_ROUNDS && extraRounds > 0; round++) {
      await ground.notifier.notify(
        'tickData',
        Array.from({ length: PER_ROUND }, () => ticksPayload('BP', ++seq, TICKS_PER_BATCH)),
      );
      await ground.notifier.notify('ohlcUpdate', [barPayload('BP', 2, 1, round)]);
      ticksSent += PER_ROUND;
      // The healthy client gets each round's bar before the next round is sent: the stalled
      // client's backlog never holds it up (order, not a time margin, shows it).
      await healthy.waitFor((m) => m.type === 'ohlc' && m.volume === round);
      if ((ground.service.health().dropped as number) > 0) extraRounds--;
    }
    const dropped = ground.service.health().dropped as number;
    expect(dropped).toBeGreaterThan(0);
    // The healthy client had every message while the stalled one read nothing.
    expect(healthy.ofType('ticks')).toHaveLength(ticksSent);
    expect(stalled.messages.filter((m) => m.type === 'ticks' || m.type === 'ohlc')).toEqual([]);

    resumeReading(stalled.socket);
    await settled(stalled, 20_000);
    const bars = stalled.ofType('ohlc').map((m) => m.volume);
    expect(bars).toEqual(healthy.ofType('ohlc').map((m) => m.volume));
    expect(stalled.ofType('ticks').length + dropped).toBe(ticksSent);
    expect(await metric(ground.service, /^broadcaster_dropped_total\{channel="ticks"[^}]*\} (\d+)$/m)).toBe(dropped);
    expect(await metric(ground.service, tooFarBehind)).toBe(0);
  });

  it('closes a client too far behind with a reason, after delivering what it had without gaps', async () => {
    const healthy = await ground.client({ channel: 'signals', contract_id: 'SIG' });
    const stalled = await ground.client({ channel: 'signals', contract_id: 'SIG' });
    const closed = nextClose(stalled.socket);
    stopReading(stalled.socket);
    let seq = 0;
    for (let round = 1; round <= MAX_ROUNDS && (await metric(ground.service, tooFarBehind)) === 0; round++) {
      await ground.notifier.notify(
        'signalDetected',
        Array.from({ length: PER_ROUND }, () => signalPayload('SIG', ++seq, SIGNAL_PAD)),
      );
      await healthy.waitFor((m) => m.type === 'signal' && m.signal_id === seq);
    }
    expect(await metric(ground.service, tooFarBehind)).toBe(1);
    expect(healthy.ofType('signal')).toHaveLength(seq);

    resumeReading(stalled.socket);
    expect(await closed).toEqual({ code: 1013, reason: 'too far behind: reconnect and refetch' });
    const ids = stalled.ofType('signal').map((m) => m.signal_id);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.length).toBeLessThan(seq);
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1)); // signals are never dropped
    await eventually(
      () => ground.service.server.clientCount,
      (n) => n === ground.clients.filter((c) => c.socket.readyState === c.socket.OPEN).length,
    );
  });

  it('cuts off a closed client that never reads again after the grace period', async () => {
    const other = await startBroadcaster(ground.db.url, { limits: { ...LIMITS, closeGraceMs: 300 } });
    try {
      const stalled = await ground.clientOf(other, { channel: 'signals', contract_id: 'GONE' });
      stopReading(stalled.socket);
      let seq = 0;
      for (let round = 1; round <= MAX_ROUNDS && (await metric(other, tooFarBehind)) === 0; round++) {
        await ground.notifier.notify(
          'signalDetected',
          Array.from({ length: PER_ROUND }, () => signalPayload('GONE', ++seq, SIGNAL_PAD)),
        );
        await eventually(
          () => other.health().messagesIn as number,
          (n) => n === seq,
        );
      }
      expect(await metric(other, tooFarBehind)).toBe(1);
      expect(other.server.clientCount).toBe(1);
      // Without the grace timer ws would hold the socket (and its buffer) for 30 s.
      await eventually(
        () => other.server.clientCount,
        (n) => n === 0,
      );
      expect(other.health().bufferedBytes).toBe(0);
    } finally {
      await other.stop();
    }
  });
});

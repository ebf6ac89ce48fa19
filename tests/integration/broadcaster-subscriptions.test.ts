// Subscription routing on a real PostgreSQL: bars by contract and timeframe, ticks and signals by
// contract, no subscription = everything, unsubscribe narrows; /health and /metrics report it.
import { describe, expect, it } from 'vitest';
import { TickPayloadBuilder } from '../../core/src/index.ts';
import { barPayload, settled, signalPayload, signalsStoredPayload, ticksPayload } from '../support/broadcaster-fixture.ts';
import type { WsCollector } from '../support/ws-collector.ts';
import { useBroadcaster } from '../support/use-broadcaster.ts';

const ground = useBroadcaster();

/** What a client received of the relayed stream, as compact labels in arrival order. */
function labels(c: WsCollector): string[] {
  return c.messages.flatMap((m) => {
    if (m.type === 'ohlc')
      return [`bar ${String(m.contract_id)} ${String(m.timeframe_unit)}|${String(m.timeframe_value)} #${String(m.volume)}`];
    if (m.type === 'ticks') return [`ticks ${String(m.contract_id)} #${((m.ticks as Array<{ price: number }>)[0]?.price ?? 0) - 5000}`];
    if (m.type === 'signal') return [`signal ${String(m.contract_id)} #${String(m.signal_id)}`];
    if (m.type === 'signals_stored') return [`stored ${String(m.contract_id)} #${String(m.count)}`];
    return [];
  });
}

/** Waits until `firehose` has the last message (the server has written the batch to every
 * client in the same pass), then until each client has read what was written to it. */
async function deliveredTo(firehose: WsCollector, last: string, others: WsCollector[]): Promise<void> {
  await firehose.waitFor(() => labels(firehose).includes(last));
  for (const c of others) await settled(c);
}

describe('broadcaster subscriptions', () => {
  it('routes bars by contract and timeframe, ticks and signals by contract; no subscription gets everything', async () => {
    const everything = await ground.client();
    // Browsers ignore binary frames (web/lib/chart/broadcaster-socket.ts): payloads sent from one
    // shared Buffer must still go out as text.
    const frames: boolean[] = [];
    everything.socket.on('message', (_data, isBinary) => frames.push(isBinary));
    const bars5m = await ground.client({ channel: 'bars', contract_id: 'X', timeframe: '5m' });
    const barsAll = await ground.client({ channel: 'bars', contract_id: 'X' });
    const overlapping = await ground.client({ channel: 'bars', contract_id: 'X' }, { channel: 'bars', contract_id: 'X', timeframe: '5m' });
    const ticks = await ground.client({ channel: 'ticks', contract_id: 'X' });
    const signals = await ground.client({ channel: 'signals', contract_id: 'X' });
    const mixed = await ground.client({ channel: 'bars', contract_id: 'Y', timeframe: '1m' }, { channel: 'signals', contract_id: 'Y' });

    await ground.notifier.notify('ohlcUpdate', [
      barPayload('X', 2, 5, 1),
      barPayload('X', 2, 1, 2),
      barPayload('Y', 2, 5, 3),
      barPayload('Y', 2, 1, 4),
    ]);
    await ground.notifier.notify('tickData', [ticksPayload('X', 5), ticksPayload('Y', 6)]);
    await ground.notifier.notify('signalDetected', [signalPayload('X', 7), signalPayload('Y', 8)]);
    await ground.notifier.notify('signalsStored', [signalsStoredPayload('X', 120)]);
    await ground.notifier.notify('ohlcUpdate', [barPayload('X', 2, 5, 9)]);
    await deliveredTo(everything, 'bar X 2|5 #9', [bars5m, barsAll, overlapping, ticks, signals, mixed]);

    expect(labels(everything)).toEqual([
      'bar X 2|5 #1',
      'bar X 2|1 #2',
      'bar Y 2|5 #3',
      'bar Y 2|1 #4',
      'ticks X #5',
      'ticks Y #6',
      'signal X #7',
      'signal Y #8',
      'stored X #120',
      'bar X 2|5 #9',
    ]);
    expect(labels(bars5m)).toEqual(['bar X 2|5 #1', 'bar X 2|5 #9']);
    expect(labels(barsAll)).toEqual(['bar X 2|5 #1', 'bar X 2|1 #2', 'bar X 2|5 #9']);
    // Matching two of its subscriptions, a bar still arrives once.
    expect(labels(overlapping)).toEqual(['bar X 2|5 #1', 'bar X 2|1 #2', 'bar X 2|5 #9']);
    expect(labels(ticks)).toEqual(['ticks X #5']);
    expect(labels(signals)).toEqual(['signal X #7', 'stored X #120']);
    expect(labels(mixed)).toEqual(['bar Y 2|1 #4', 'signal Y #8']);
    // The relayed payload is the NOTIFY payload as stored, field for field.
    expect(everything.messages.find((m) => m.type === 'ohlc')).toEqual(barPayload('X', 2, 5, 1));
    expect(bars5m.ofType('subscribed')).toEqual([{ type: 'subscribed', channel: 'bars', contract_id: 'X', timeframe: '5m' }]);
    expect(frames).toEqual(Array(10).fill(false));
  });

  it('relays a NOTIFY carrying several contracts as one message per contract, in the single-contract format', async () => {
    const everything = await ground.client();
    const onlyQ = await ground.client({ channel: 'ticks', contract_id: 'Q' });
    const { type: _p, ...p } = ticksPayload('P', 31, 2);
    const { type: _q, ...q } = ticksPayload('Q', 32, 3);
    await ground.notifier.notify('tickData', [{ type: 'ticks', contracts: [p, q] }]);
    await ground.notifier.notify('tickData', [ticksPayload('Q', 33)]);
    await deliveredTo(everything, 'ticks Q #33', [onlyQ]);
    expect(labels(everything)).toEqual(['ticks P #31', 'ticks Q #32', 'ticks Q #33']);
    expect(labels(onlyQ)).toEqual(['ticks Q #32', 'ticks Q #33']);
    // Field for field what a single-contract NOTIFY of the same ticks would have relayed.
    expect(onlyQ.messages.find((m) => m.type === 'ticks')).toEqual(ticksPayload('Q', 32, 3));
  });

  it("relays the ingester's columnar NOTIFY as the same client messages the object form gave; a bad one is dropped", async () => {
    const everything = await ground.client();
    const onlyS = await ground.client({ channel: 'ticks', contract_id: 'S' });
    // The ingester's builder, fed the ticks of ticksPayload('R', 41, 2) and ticksPayload('S', 42, 3).
    const builder = new TickPayloadBuilder();
    for (const [id, seq, count] of [
      ['R', 41, 2],
      ['S', 42, 3],
    ] as const)
      for (const t of ticksPayload(id, seq, count).ticks)
        builder.add({ contractId: id, time: Date.parse(t.timestamp), price: t.price, volume: t.volume, side: 'buy' });
    const [columns] = builder.finish();
    expect(JSON.parse(columns as string)).toMatchObject({ type: 'tick_columns', v: 1 });
    await ground.notifier.notifyRaw('tickData', [
      columns as string,
      (columns as string).replace('"p":[', '"p":[-1,'), // a price column longer than its ticks, and a negative price: dropped
    ]);
    await ground.notifier.notify('tickData', [ticksPayload('S', 43)]);
    await deliveredTo(everything, 'ticks S #43', [onlyS]);
    expect(labels(everything)).toEqual(['ticks R #41', 'ticks S #42', 'ticks S #43']);
    expect(onlyS.messages.filter((m) => m.type === 'ticks')).toEqual([ticksPayload('S', 42, 3), ticksPayload('S', 43)]);
    const metrics = await (await fetch(`http://127.0.0.1:${ground.service.metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/^broadcaster_invalid_notifications_total\{[^}]*channel="tick_data_channel"[^}]*\} 1$/m);
  });

  it('unsubscribe narrows, and removing the last subscription leaves none rather than everything', async () => {
    const everything = await ground.client();
    const c = await ground.client({ channel: 'bars', contract_id: 'Z' }, { channel: 'ticks', contract_id: 'Z' });
    c.send({ type: 'unsubscribe', channel: 'ticks', contract_id: 'Z' });
    await c.waitFor((m) => m.type === 'unsubscribed');
    await ground.notifier.notify('tickData', [ticksPayload('Z', 11)]);
    await ground.notifier.notify('ohlcUpdate', [barPayload('Z', 3, 1, 12)]);
    await deliveredTo(everything, 'bar Z 3|1 #12', [c]);
    expect(labels(c)).toEqual(['bar Z 3|1 #12']);

    c.send({ type: 'unsubscribe', channel: 'bars', contract_id: 'Z' });
    await c.waitFor((m) => m.type === 'unsubscribed' && m.channel === 'bars');
    await ground.notifier.notify('ohlcUpdate', [barPayload('Z', 3, 1, 13)]);
    await ground.notifier.notify('tickData', [ticksPayload('Z', 14)]);
    await deliveredTo(everything, 'ticks Z #14', [c]);
    expect(labels(c)).toEqual(['bar Z 3|1 #12']);
  });

  it('reports clients, subscriptions and messages in and out on /health and /metrics', async () => {
    const everything = await ground.client();
    await ground.client({ channel: 'ticks', contract_id: 'M' }, { channel: 'signals', contract_id: 'M' });
    const before = ground.service.health();
    await ground.notifier.notify('tickData', [ticksPayload('M', 21)]);
    await everything.waitFor((m) => m.type === 'ticks' && m.contract_id === 'M');

    const health = (await (await fetch(`http://127.0.0.1:${ground.service.metricsPort}/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ ok: true, listening: true, clients: ground.clients.length });
    expect(health.messagesIn).toBe((before.messagesIn as number) + 1);
    // Every client that never subscribed, plus the one subscribed to M's ticks.
    const firehoses = ground.clients.filter((c) => c.ofType('subscribed').length === 0).length;
    expect(health.messagesOut).toBe((before.messagesOut as number) + firehoses + 1);
    const metrics = await (await fetch(`http://127.0.0.1:${ground.service.metricsPort}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`^broadcaster_clients\\{[^}]*\\} ${ground.clients.length}$`, 'm'));
    const signalSubscriptions = ground.clients.reduce(
      (n, c) =>
        n +
        c.ofType('subscribed').filter((m) => m.channel === 'signals').length -
        c.ofType('unsubscribed').filter((m) => m.channel === 'signals').length,
      0,
    );
    expect(metrics).toMatch(new RegExp(`^broadcaster_subscriptions\\{channel="signals"[^}]*\\} ${signalSubscriptions}$`, 'm'));
    expect(metrics).toMatch(/^broadcaster_messages_in_total\{channel="ticks"[^}]*\} [1-9]/m);
    expect(metrics).toMatch(/^broadcaster_notify_to_send_seconds_count\{[^}]*\} [1-9]/m);
    expect(metrics).toMatch(/^broadcaster_buffered_bytes\{[^}]*\} \d+$/m);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BroadcasterSocket, type ConnectionStatus } from './broadcaster-socket.ts';

/** A browser WebSocket as far as the connection uses it; the test opens, closes and feeds it. */
class FakeWebSocket {
  static readonly CLOSED = 3;
  static all: FakeWebSocket[] = [];
  readyState = 0;
  sent: unknown[] = [];
  closed = false;
  onopen: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  constructor(readonly url: string) {
    FakeWebSocket.all.push(this);
  }
  send(text: string): void {
    this.sent.push(JSON.parse(text));
  }
  close(): void {
    this.closed = true;
    this.readyState = FakeWebSocket.CLOSED;
  }
  serverOpens(): void {
    this.readyState = 1;
    this.onopen?.();
  }
  serverSends(message: unknown): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  serverDrops(): void {
    this.readyState = FakeWebSocket.CLOSED;
    this.onclose?.();
  }
}

const URL_ = 'ws://127.0.0.1:8765/';
const sub = (channel: string, contract_id: string) => ({ type: 'subscribe', channel, contract_id });

/** Every part a test started: stopped after it, so the page's connection closes between tests. */
const parts: BroadcasterSocket[] = [];

function part(subscriptions: object[]) {
  const got = { messages: [] as unknown[], statuses: [] as ConnectionStatus[], opens: [] as (number | undefined)[] };
  const socket = new BroadcasterSocket({
    url: URL_,
    subscriptions,
    onMessage: (m) => got.messages.push(m),
    onStatus: (s) => got.statuses.push(s),
    onOpen: (downSince) => got.opens.push(downSince),
  });
  parts.push(socket);
  return { socket, got };
}

/** Lets the ticket fetch settle and the socket be created. */
const ticketed = () => vi.advanceTimersByTimeAsync(0);

describe('one broadcaster connection per page', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeWebSocket.all = [];
    vi.stubGlobal('WebSocket', FakeWebSocket);
    vi.stubGlobal('window', { addEventListener: vi.fn(), removeEventListener: vi.fn() });
    vi.stubGlobal('navigator', { onLine: true });
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify({ ticket: `t${FakeWebSocket.all.length}` }), { status: 200 })),
    );
  });
  afterEach(() => {
    for (const p of parts.splice(0)) p.stop();
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('carries every part on one socket: each subscription once, every message to each part', async () => {
    const chart = part([sub('ticks', 'A'), sub('alerts', '*')]);
    const toasts = part([sub('alerts', '*')]);
    chart.socket.start();
    toasts.socket.start();
    await ticketed();
    expect(FakeWebSocket.all).toHaveLength(1);
    const ws = FakeWebSocket.all[0] as FakeWebSocket;
    expect(new URL(ws.url).searchParams.get('ticket')).toBe('t0');
    ws.serverOpens();
    expect(ws.sent).toEqual([sub('ticks', 'A'), sub('alerts', '*')]);
    expect(chart.got.statuses.at(-1)).toBe('live');
    expect(toasts.got.statuses.at(-1)).toBe('live');
    expect(chart.got.opens).toEqual([undefined]);
    expect(toasts.got.opens).toEqual([undefined]);
    ws.serverSends({ type: 'alert_created', alert_id: 1 });
    ws.serverSends({ type: 'ticks', contract_id: 'A', ticks: [] });
    expect(chart.got.messages).toHaveLength(2);
    expect(toasts.got.messages).toEqual(chart.got.messages);
  });

  it('a part joining an open socket subscribes at once; leaving unsubscribes what no other part holds', async () => {
    const toasts = part([sub('alerts', '*')]);
    toasts.socket.start();
    await ticketed();
    const ws = FakeWebSocket.all[0] as FakeWebSocket;
    ws.serverOpens();
    const table = part([sub('ticks', 'A'), sub('alerts', '*')]);
    table.socket.start();
    expect(table.got.statuses).toEqual(['live']);
    expect(table.got.opens).toEqual([undefined]);
    expect(ws.sent).toEqual([sub('alerts', '*'), sub('ticks', 'A')]);
    table.socket.stop();
    expect(ws.sent.slice(2)).toEqual([{ ...sub('ticks', 'A'), type: 'unsubscribe' }]);
    expect(ws.closed).toBe(false);
    toasts.socket.stop();
    expect(ws.closed).toBe(true);
    expect(ws.sent).toHaveLength(3);
    // The next part opens a socket of its own again.
    toasts.socket.start();
    await ticketed();
    expect(FakeWebSocket.all).toHaveLength(2);
  });

  it('after a loss every part hears it, and the reopened socket subscribes each once and tells each when it was lost', async () => {
    const chart = part([sub('ticks', 'A')]);
    const toasts = part([sub('alerts', '*')]);
    chart.socket.start();
    toasts.socket.start();
    await ticketed();
    (FakeWebSocket.all[0] as FakeWebSocket).serverOpens();
    const lostAt = Date.now();
    (FakeWebSocket.all[0] as FakeWebSocket).serverDrops();
    expect(chart.got.statuses.at(-1)).toBe('reconnecting');
    expect(toasts.got.statuses.at(-1)).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(20_000);
    expect(FakeWebSocket.all).toHaveLength(2);
    const again = FakeWebSocket.all[1] as FakeWebSocket;
    again.serverOpens();
    expect(again.sent).toEqual([sub('ticks', 'A'), sub('alerts', '*')]);
    expect(chart.got.opens).toEqual([undefined, lostAt]);
    expect(toasts.got.opens).toEqual([undefined, lostAt]);
    expect(chart.got.statuses.at(-1)).toBe('live');
  });

  it('a part that stops before the socket opens leaves nothing subscribed for it', async () => {
    const chart = part([sub('ticks', 'A')]);
    const toasts = part([sub('alerts', '*')]);
    chart.socket.start();
    toasts.socket.start();
    chart.socket.stop();
    await ticketed();
    const ws = FakeWebSocket.all[0] as FakeWebSocket;
    ws.serverOpens();
    expect(ws.sent).toEqual([sub('alerts', '*')]);
    expect(chart.got.opens).toEqual([]);
  });
});

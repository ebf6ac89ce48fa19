// Hostile and broken clients: token and Origin checks on the upgrade (401/403), garbage frames
// (not JSON, binary, oversized, wrong schema, flood) answered with errors then a close, dead
// clients dropped by the heartbeat — and the server keeps serving everyone else. The test beats the
// heartbeat itself: a heartbeat timer would also drop a live client whose process was too busy to answer.
import WebSocket from 'ws';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, nextClose, settled, subscribe, ticksPayload, wsUrl } from '../support/broadcaster-fixture.ts';
import type { WsCollector } from '../support/ws-collector.ts';
import { useBroadcaster } from '../support/use-broadcaster.ts';

const TOKEN = 'test-token-0123456789';
const ALLOWED = 'http://charts.example';
const LIMITS = { maxErrors: 3, frameBurst: 20, framesPerSecond: 5, maxMessageBytes: 1024, maxSubscriptions: 4 };

const ground = useBroadcaster({ token: TOKEN, allowedOrigins: [ALLOWED], heartbeatMs: 'manual', limits: LIMITS });
/** Connected for the whole file: proves the server kept serving through every attack. */
let bystander: WsCollector;

beforeAll(async () => {
  bystander = await connect();
  await subscribe(bystander, { channel: 'ticks', contract_id: 'SAFE' });
});

function connect(query = `?token=${TOKEN}`, headers?: Record<string, string>): Promise<WsCollector> {
  return ground.connect(query, headers);
}

function errors(c: WsCollector): string[] {
  return c.ofType('error').map((m) => m.code as string);
}

describe('broadcaster admission', () => {
  it('refuses a missing or wrong token with 401 and accepts it in the query or an Authorization header', async () => {
    await expect(connect('')).rejects.toThrow('HTTP 401');
    await expect(connect('?token=wrong')).rejects.toThrow('HTTP 401');
    await expect(connect('', { Authorization: 'Bearer wrong' })).rejects.toThrow('HTTP 401');
    await expect(connect('?token=')).rejects.toThrow('HTTP 401');
    const byQuery = await connect();
    const byHeader = await connect('', { Authorization: `Bearer ${TOKEN}` });
    await settled(byQuery);
    await settled(byHeader);
  });

  it('refuses an Origin outside the allowlist with 403; an allowed or absent Origin is accepted', async () => {
    await expect(connect(`?token=${TOKEN}`, { Origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    await settled(await connect(`?token=${TOKEN}`, { Origin: ALLOWED }));
    await settled(await connect()); // non-browser clients send no Origin
    const metrics = await (await fetch(`http://127.0.0.1:${ground.service.metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/^broadcaster_refused_upgrades_total\{reason="token"[^}]*\} 4$/m);
    expect(metrics).toMatch(/^broadcaster_refused_upgrades_total\{reason="origin"[^}]*\} 1$/m);
  });
});

describe('broadcaster under garbage frames', () => {
  it('answers each bad frame with an error naming the problem and closes after repeats', async () => {
    const c = await connect();
    const closed = nextClose(c.socket);
    c.send('{not json');
    await c.waitFor((m) => m.type === 'error');
    c.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    await c.waitFor(() => c.ofType('error').length === 2);
    expect(errors(c)).toEqual(['not_json', 'binary']);
    // Still open and useful after two mistakes.
    await settled(c);
    c.send({ type: 'subscribe', channel: 'bars', contract_id: 'X', timeframe: '0m' });
    const { code, reason } = await closed;
    expect(errors(c)).toEqual(['not_json', 'binary', 'invalid']);
    expect(c.ofType('error')[2]?.message).toMatch(/timeframe/);
    expect({ code, reason }).toEqual({ code: 1008, reason: 'too many refused messages' });
  });

  it('refuses oversized frames, wrong schemas and too many subscriptions with their own codes', async () => {
    const c = await connect();
    c.send(JSON.stringify({ type: 'ping', id: 'x'.repeat(2000) }));
    await c.waitFor((m) => m.type === 'error');
    c.send({ type: 'subscribe', channel: 'quotes', contract_id: 'X' });
    await c.waitFor(() => c.ofType('error').length === 2);
    expect(errors(c)).toEqual(['too_large', 'invalid']);
    expect(c.ofType('error')[1]?.message).toMatch(/^invalid message: channel: /);
    const fresh = await connect();
    for (let i = 0; i < LIMITS.maxSubscriptions; i++) await subscribe(fresh, { channel: 'ticks', contract_id: `C${i}` });
    fresh.send({ type: 'subscribe', channel: 'ticks', contract_id: 'one-too-many' });
    await fresh.waitFor((m) => m.type === 'error');
    expect(errors(fresh)).toEqual(['subscription_limit']);
  });

  it('closes a frame above the hard limit at once (1009) without buffering it', async () => {
    const c = await connect();
    const closed = nextClose(c.socket);
    c.socket.send('x'.repeat(70 * 1024));
    expect((await closed).code).toBe(1009);
  });

  it('rate-limits a flood: the burst is served, the excess refused, then the connection closed', async () => {
    const c = await connect();
    const closed = nextClose(c.socket);
    const floodStarted = performance.now();
    for (let i = 0; i < 200; i++) c.send({ type: 'ping', id: i });
    expect((await closed).code).toBe(1008);
    const floodSeconds = (performance.now() - floodStarted) / 1000;
    const pongs = c.ofType('pong').length;
    // The bucket refills at framesPerSecond while the flood is read, however slowly a loaded machine
    // reads it: the burst, plus what the time the flood took can have refilled, and no more.
    expect(pongs).toBeGreaterThanOrEqual(LIMITS.frameBurst);
    expect(pongs).toBeLessThanOrEqual(LIMITS.frameBurst + Math.ceil(floodSeconds * LIMITS.framesPerSecond));
    expect(errors(c)).toEqual(Array(LIMITS.maxErrors).fill('rate_limited'));
  });

  it('keeps serving everyone else through all of it', async () => {
    await ground.notifier.notify('tickData', [ticksPayload('SAFE', 1)]);
    await bystander.waitFor((m) => m.type === 'ticks' && m.contract_id === 'SAFE');
    expect(bystander.socket.readyState).toBe(WebSocket.OPEN);
    const metrics = await (await fetch(`http://127.0.0.1:${ground.service.metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/^broadcaster_disconnects_total\{reason="protocol_errors"[^}]*\} [2-9]/m);
  });
});

describe('broadcaster heartbeat', () => {
  it('drops a client that stops answering pings and keeps one that answers', async () => {
    const silent = new WebSocket(wsUrl(ground.service, `?token=${TOKEN}`), { autoPong: false });
    await new Promise((resolve, reject) => silent.once('open', resolve).once('error', reject));
    const closed = nextClose(silent);
    const server = ground.service.server;
    const before = server.clientCount;
    // Two heartbeats: the first finds every client alive and pings it; once every other client has
    // answered, the second finds no pong from the silent one.
    server.heartbeatNow();
    await eventually(
      () => server.unansweredPings(),
      (n) => n === 1,
    );
    server.heartbeatNow();
    expect((await closed).code).toBe(1006);
    await eventually(
      () => ground.service.server.clientCount,
      (n) => n === before - 1,
    );
    expect(bystander.socket.readyState).toBe(WebSocket.OPEN);
    await settled(bystander);
    const metrics = await (await fetch(`http://127.0.0.1:${ground.service.metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/^broadcaster_disconnects_total\{reason="heartbeat"[^}]*\} 1$/m);
  });
});

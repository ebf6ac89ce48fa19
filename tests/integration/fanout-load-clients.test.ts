// bench:fanout's raw-socket clients count exactly what `ws` clients count: on one broadcaster, from the
// same NOTIFYs, both kinds receive the same messages (count, payload bytes, order) through the same
// tally; and the raw client answers the server's pings and close as the protocol requires.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BroadcasterService } from '../../broadcaster/src/broadcaster-service.ts';
import { payloadMaker } from '../../bench/fanout-harness.ts';
import { type ClientKind, type LoadClient, openSubscribed } from '../../bench/fanout-load-client.ts';
import { RawWebSocketClient } from '../../bench/fanout-raw-client.ts';
import { FanoutTally, sentAtOf } from '../../bench/fanout-tally.ts';
import { startBroadcaster, wsUrl } from '../support/broadcaster-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { createHash } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import pg from 'pg';
import { textFrame } from '../../broadcaster/src/text-frame.ts';

const CONTRACT = 'BENCH.A';
const CLIENTS_PER_KIND = 5;
const MESSAGES = 300;
/** NOTIFYs per statement: several share a turn, and so a client's write (frames split across reads). */
const PER_STATEMENT = 25;

let db: TestDatabase;
let service: BroadcasterService;
let notifier: pg.Client;
const open: LoadClient[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  // Heartbeats beaten by the tests (a timer would also cut off a client whose busy process answered late).
  service = await startBroadcaster(db.url, { heartbeatMs: 'manual' });
  notifier = new pg.Client({ connectionString: db.url });
  await notifier.connect();
});
afterAll(async () => {
  for (const c of open) c.terminate();
  await notifier?.end();
  await service?.stop();
  await db?.drop();
});

describe('sentAtOf', () => {
  it('reads the trailing sent_at of a payload range, and -1 for anything else', () => {
    const text = Buffer.from(`xx{"type":"ticks","sent_at":123456789012}yy`);
    expect(sentAtOf(text, 2, text.length - 2)).toBe(123456789012);
    expect(sentAtOf(Buffer.from('{"type":"subscribed"}'), 0, 21)).toBe(-1);
    expect(sentAtOf(Buffer.from('{"sent_at":}'), 0, 12)).toBe(-1);
    expect(sentAtOf(Buffer.from('{"sent_ax":12}'), 0, 14)).toBe(-1);
  });
});

describe('bench:fanout load clients', () => {
  it('raw-socket and ws clients receive and count the same messages, in the same order', async () => {
    const kinds: ClientKind[] = ['ws', 'raw'];
    const tallies = new Map(kinds.map((k) => [k, new FanoutTally(CLIENTS_PER_KIND)]));
    const payloads = new Map(kinds.map((k) => [k, [] as string[]]));
    const subscriptions = [
      { type: 'subscribe', channel: 'bars', contract_id: CONTRACT, timeframe: '1m' },
      { type: 'subscribe', channel: 'ticks', contract_id: CONTRACT },
    ];
    for (const kind of kinds) {
      const tally = tallies.get(kind) as FanoutTally;
      const seen = payloads.get(kind) as string[];
      for (let i = 0; i < CLIENTS_PER_KIND; i++) {
        const client = await openSubscribed(kind, wsUrl(service), subscriptions, (data, start, end) => {
          tally.record(i, data, start, end);
          if (i === 0) seen.push(data.toString('utf8', start, end));
        });
        open.push(client);
      }
    }
    for (const tally of tallies.values()) tally.measure(0);
    const make = payloadMaker(CONTRACT);
    for (let sent = 0; sent < MESSAGES; sent += PER_STATEMENT) {
      const params = Array.from({ length: PER_STATEMENT }, () => make()).flatMap((m) => [m.channel, m.payload]);
      const calls = Array.from({ length: PER_STATEMENT }, (_, k) => `pg_notify($${2 * k + 1}, $${2 * k + 2})`);
      await notifier.query(`SELECT ${calls.join(', ')}`, params);
    }
    await eventually(() => kinds.every((k) => (tallies.get(k) as FanoutTally).received >= MESSAGES * CLIENTS_PER_KIND));
    const [ws, raw] = kinds.map((k) => (tallies.get(k) as FanoutTally).report());
    expect(raw?.received).toBe(ws?.received);
    expect(raw?.payloadBytes).toBe(ws?.payloadBytes);
    expect(ws?.outOfOrder).toBe(0);
    expect(raw?.outOfOrder).toBe(0);
    const digests = (k: ClientKind): number[] =>
      Array.from({ length: CLIENTS_PER_KIND }, (_, i) => (tallies.get(k) as FanoutTally).digest(i));
    expect(new Set([...digests('ws'), ...digests('raw')]).size).toBe(1);
    expect(payloads.get('raw')).toEqual(payloads.get('ws'));
    expect(payloads.get('raw')).toHaveLength(MESSAGES);
  });

  it('a raw client answers pings: it outlives many heartbeats', async () => {
    const client = await RawWebSocketClient.open(wsUrl(service), () => undefined);
    open.push(client);
    // Each heartbeat terminates a client that did not answer the previous ping: without pongs this
    // one would be gone at the second.
    for (let beat = 1; beat <= 4; beat++) {
      service.server.heartbeatNow();
      await eventually(() => service.server.unansweredPings() === 0 || client.closed);
    }
    expect(client.closed).toBe(false);
    expect(client.pingsAnswered).toBe(4);
  });

  it('refuses a handshake answered without a valid accept key', async () => {
    await expect(RawWebSocketClient.open(`ws://127.0.0.1:${service.metricsPort}/health`, () => undefined)).rejects.toThrow(
      /instead of 101/,
    );
  });
});

describe('raw client frame reading', () => {
  it('reassembles frames of every length form split anywhere across reads', async () => {
    // 2-, 4- and 10-byte headers (RFC 6455 §5.2), a ping between them; written a few bytes at a time.
    const texts = ['a', 'x'.repeat(125), 'y'.repeat(126), 'z'.repeat(70_000), '{"sent_at":42}'];
    const stream = Buffer.concat([
      textFrame(Buffer.from(texts[0] as string)),
      Buffer.from([0x89, 0x02, 0x68, 0x69]), // ping "hi"
      ...texts.slice(1).map((t) => textFrame(Buffer.from(t))),
    ]);
    let pong: Buffer | undefined;
    const server = createServer((socket: Socket) => {
      socket.setNoDelay(true);
      socket.once('data', (request: Buffer) => {
        const key = /Sec-WebSocket-Key: (\S+)/i.exec(request.toString('latin1'))?.[1] ?? '';
        const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
        socket.on('data', (d: Buffer) => {
          pong = Buffer.concat([pong ?? Buffer.alloc(0), d]);
        });
        // The first frame's first bytes ride with the 101; the rest goes out in pieces of 1–7 bytes.
        socket.write(
          Buffer.concat([
            Buffer.from(
              `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
            ),
            stream.subarray(0, 1),
          ]),
        );
        void (async () => {
          // Pieces of 1–7 bytes, except through the long frame's body (4 KB, or this takes seconds).
          let at = 1;
          for (let step = 1; at < stream.length; step = (step % 7) + 1) {
            const size = at > 300 && at < 70_000 ? 4096 : step;
            const piece = stream.subarray(at, Math.min(stream.length, at + size));
            at += piece.length;
            await new Promise<void>((resolve) => socket.write(piece, () => setImmediate(resolve)));
          }
        })();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const received: string[] = [];
    const client = await RawWebSocketClient.open(`ws://127.0.0.1:${(server.address() as { port: number }).port}/`, (data, start, end) =>
      received.push(data.toString('utf8', start, end)),
    );
    await eventually(() => received.length === texts.length && pong !== undefined && pong.length >= 8);
    expect(received).toEqual(texts);
    // The pong: FIN + opcode 10, masked, 2 bytes ("hi" under the mask).
    expect(pong?.[0]).toBe(0x8a);
    expect(pong?.[1]).toBe(0x82);
    const mask = (pong as Buffer).subarray(2, 6);
    expect(
      Buffer.from([
        ((pong as Buffer)[6] as number) ^ (mask[0] as number),
        ((pong as Buffer)[7] as number) ^ (mask[1] as number),
      ]).toString(),
    ).toBe('hi');
    expect(sentAtOf(Buffer.from(received[4] as string), 0, (received[4] as string).length)).toBe(42);
    client.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});

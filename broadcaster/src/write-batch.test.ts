import { Duplex } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HeldFrames } from './held-frames.ts';
import { WriteBatch } from './write-batch.ts';

/** A socket that records what each of its writes carried (one system call each). */
function recordingSocket(): { socket: Duplex; writes: string[]; chunks: Buffer[] } {
  const writes: string[] = [];
  const chunks: Buffer[] = [];
  const socket = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, cb) {
      writes.push(chunk.toString());
      chunks.push(chunk);
      cb();
    },
    writev(list, cb) {
      writes.push(list.map((c) => String(c.chunk)).join('+'));
      cb();
    },
  });
  return { socket, writes, chunks };
}

const b = (text: string): Buffer => Buffer.from(text);

afterEach(() => {
  vi.useRealTimers();
});

describe('WriteBatch and HeldFrames', () => {
  it('holds frames given in one turn and writes them as one buffer after it', async () => {
    const batch = new WriteBatch();
    const { socket, writes } = recordingSocket();
    const held = new HeldFrames(socket, batch);
    const turn = batch.turn;
    held.push(b('a'));
    held.push(b('b'));
    held.push(b('c'));
    expect(held.bytes).toBe(3);
    expect(writes).toEqual([]); // nothing written yet
    await new Promise((r) => setImmediate(r));
    expect(batch.turn).toBe(turn + 1);
    expect(writes).toEqual(['abc']);
    expect(held.bytes).toBe(0);
  });

  it('gives clients handed the same frames one shared buffer', async () => {
    const batch = new WriteBatch();
    const sockets = [recordingSocket(), recordingSocket(), recordingSocket()];
    const frames = [b('x'), b('y')];
    const clients = sockets.map((s) => new HeldFrames(s.socket, batch));
    for (const frame of frames) for (const c of clients) c.push(frame);
    clients[2]?.push(b('z')); // another sequence: its own buffer
    await new Promise((r) => setImmediate(r));
    expect(sockets.map((s) => s.writes)).toEqual([['xy'], ['xy'], ['xyz']]);
    expect(sockets[0]?.chunks[0]).toBe(sockets[1]?.chunks[0]);
  });

  it('writes what is held before any other write or end of the socket (ws: pongs, close)', async () => {
    const batch = new WriteBatch();
    const { socket, writes } = recordingSocket();
    const held = new HeldFrames(socket, batch);
    held.push(b('a'));
    held.push(b('b'));
    socket.write('X'); // ws writing a control frame in the same turn
    held.push(b('c'));
    expect(writes).toEqual(['ab', 'X']);
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual(['ab', 'X', 'c']);
    held.push(b('d'));
    socket.end('E');
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual(['ab', 'X', 'c', 'd', 'E']);
  });

  it('drops what is held for a socket destroyed before the flush', async () => {
    const batch = new WriteBatch();
    const { socket, writes } = recordingSocket();
    const held = new HeldFrames(socket, batch);
    const errors: Error[] = [];
    socket.on('error', (e) => errors.push(e));
    held.push(b('a'));
    socket.destroy();
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('waits out the interval after a flush, so the messages of the next turns share one write', () => {
    vi.useFakeTimers({ toFake: ['setImmediate', 'setTimeout', 'clearImmediate', 'clearTimeout', 'performance'] });
    const flushedAt: number[] = [];
    const batch = new WriteBatch(() => flushedAt.push(performance.now()), 10);
    const { socket, writes } = recordingSocket();
    const held = new HeldFrames(socket, batch);
    const start = performance.now();

    held.push(b('a')); // idle until now: flushed after this turn, no wait
    vi.advanceTimersToNextTimer();
    expect(writes).toEqual(['a']);
    expect(flushedAt).toEqual([start]);

    vi.advanceTimersByTime(3);
    held.push(b('b')); // 3 ms after a flush: held until 10 ms after it
    vi.advanceTimersByTime(4);
    const turn = batch.turn;
    held.push(b('c')); // a later turn within the interval: same flush
    vi.advanceTimersByTime(2); // 9 ms after the first flush
    expect(writes).toEqual(['a']);
    vi.advanceTimersByTime(1);
    expect(writes).toEqual(['a', 'bc']);
    expect(flushedAt).toEqual([start, start + 10]);
    expect(batch.turn).toBe(turn + 1);

    vi.advanceTimersByTime(25); // quiet for longer than the interval: the next write waits for nothing
    held.push(b('d'));
    vi.advanceTimersToNextTimer();
    expect(flushedAt).toEqual([start, start + 10, start + 35]);
    expect(writes).toEqual(['a', 'bc', 'd']);
  });

  it('flushes at once on flushNow (shutdown), and only once', () => {
    vi.useFakeTimers({ toFake: ['setImmediate', 'setTimeout', 'clearImmediate', 'clearTimeout', 'performance'] });
    let flushes = 0;
    const batch = new WriteBatch(() => flushes++, 10);
    const { socket, writes } = recordingSocket();
    const held = new HeldFrames(socket, batch);
    held.push(b('a'));
    vi.advanceTimersToNextTimer();
    held.push(b('b'));
    expect(batch.pending).toBe(true);
    batch.flushNow();
    expect(writes).toEqual(['a', 'b']);
    expect(batch.pending).toBe(false);
    vi.runAllTimers();
    expect(flushes).toBe(2);
    batch.flushNow(); // nothing held: nothing happens
    expect(flushes).toBe(2);
  });
});

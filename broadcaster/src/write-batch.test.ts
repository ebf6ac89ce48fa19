import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HeldWrites, WriteBatch } from './write-batch.ts';

/** A socket that records each write it got (one system call each) as the chunk written. */
function recordingSocket(): { writes: HeldWrites; chunks: Buffer[]; socket: Writable } {
  const chunks: Buffer[] = [];
  const socket = new Writable({
    write(chunk: Buffer, _encoding, cb) {
      chunks.push(chunk);
      cb();
    },
    writev(all, cb) {
      for (const { chunk } of all) chunks.push(chunk as Buffer);
      cb();
    },
  });
  return { writes: new HeldWrites(socket), chunks, socket };
}

const text = (chunks: Buffer[]): string[] => chunks.map((c) => c.toString());

afterEach(() => {
  vi.useRealTimers();
});

describe('WriteBatch', () => {
  it('writes the frames given in one turn as one write after it', async () => {
    const batch = new WriteBatch();
    const { writes, chunks } = recordingSocket();
    const turn = batch.turn;
    batch.hold(writes);
    writes.frames.push(Buffer.from('a'), Buffer.from('b'), Buffer.from('c'));
    expect(chunks).toEqual([]); // nothing written yet
    await new Promise((r) => setImmediate(r));
    expect(batch.turn).toBe(turn + 1);
    expect(text(chunks)).toEqual(['abc']);
    expect(writes.frames).toEqual([]);
  });

  it('joins the same frames once for every client given them, and apart for one given others', async () => {
    const batch = new WriteBatch();
    const [a, b, c, d] = ['1', '2', '3', '4'].map((s) => Buffer.from(s)) as [Buffer, Buffer, Buffer, Buffer];
    const clients = [recordingSocket(), recordingSocket(), recordingSocket(), recordingSocket()];
    const given = [[a, b], [a, b], [a, c], [d]];
    clients.forEach((client, i) => {
      batch.hold(client.writes);
      client.writes.frames.push(...(given[i] as Buffer[]));
    });
    await new Promise((r) => setImmediate(r));
    expect(clients.map((client) => text(client.chunks))).toEqual([['12'], ['12'], ['13'], ['4']]);
    expect(clients[1]?.chunks[0]).toBe(clients[0]?.chunks[0]); // one join shared
    expect(clients[3]?.chunks[0]).toBe(d); // a single frame goes as it is
  });

  it('waits out the interval after a flush, so the messages of the next turns share one write', () => {
    vi.useFakeTimers({ toFake: ['setImmediate', 'setTimeout', 'clearImmediate', 'clearTimeout', 'performance'] });
    const flushedAt: number[] = [];
    const batch = new WriteBatch(() => flushedAt.push(performance.now()), 10);
    const { writes, chunks } = recordingSocket();
    const start = performance.now();

    batch.hold(writes); // idle until now: flushed after this turn, no wait
    writes.frames.push(Buffer.from('a'));
    vi.advanceTimersToNextTimer();
    expect(text(chunks)).toEqual(['a']);
    expect(flushedAt).toEqual([start]);

    vi.advanceTimersByTime(3);
    batch.hold(writes); // 3 ms after a flush: held until 10 ms after it
    writes.frames.push(Buffer.from('b'));
    vi.advanceTimersByTime(4);
    const turn = batch.turn;
    writes.frames.push(Buffer.from('c')); // a later turn within the interval: same flush, no second hold
    vi.advanceTimersByTime(2); // 9 ms after the first flush
    expect(text(chunks)).toEqual(['a']);
    vi.advanceTimersByTime(1);
    expect(text(chunks)).toEqual(['a', 'bc']);
    expect(flushedAt).toEqual([start, start + 10]);
    expect(batch.turn).toBe(turn + 1);

    vi.advanceTimersByTime(25); // quiet for longer than the interval: the next write waits for nothing
    batch.hold(writes);
    writes.frames.push(Buffer.from('d'));
    vi.advanceTimersToNextTimer();
    expect(flushedAt).toEqual([start, start + 10, start + 35]);
    expect(text(chunks)).toEqual(['a', 'bc', 'd']);
  });

  it('flushes at once on flushNow (shutdown), and only once', () => {
    vi.useFakeTimers({ toFake: ['setImmediate', 'setTimeout', 'clearImmediate', 'clearTimeout', 'performance'] });
    let flushes = 0;
    const batch = new WriteBatch(() => flushes++, 10);
    const { writes, chunks } = recordingSocket();
    batch.hold(writes);
    writes.frames.push(Buffer.from('a'));
    vi.advanceTimersToNextTimer();
    batch.hold(writes);
    writes.frames.push(Buffer.from('b'));
    expect(batch.pending).toBe(true);
    batch.flushNow();
    expect(text(chunks)).toEqual(['a', 'b']);
    expect(batch.pending).toBe(false);
    vi.runAllTimers();
    expect(flushes).toBe(2);
    batch.flushNow(); // nothing held: nothing happens
    expect(flushes).toBe(2);
  });

  it('writes one client ahead of the flush on release (before its close frame), and not again', async () => {
    const batch = new WriteBatch();
    const { writes, chunks, socket } = recordingSocket();
    batch.hold(writes);
    writes.frames.push(Buffer.from('a'), Buffer.from('b'));
    batch.release(writes);
    socket.write('close');
    await new Promise((r) => setImmediate(r));
    expect(text(chunks)).toEqual(['ab', 'close']);
  });

  it('writes nothing to a socket that ended since the frames were given', async () => {
    const batch = new WriteBatch();
    const { writes, chunks, socket } = recordingSocket();
    batch.hold(writes);
    writes.frames.push(Buffer.from('a'));
    socket.end();
    await new Promise((r) => setImmediate(r));
    expect(chunks).toEqual([]);
    expect(writes.frames).toEqual([]);
  });
});

import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WriteBatch } from './write-batch.ts';

/** A socket that records how many chunks each of its writes carried (one system call each). */
function recordingSocket(): { socket: Writable; writes: number[] } {
  const writes: number[] = [];
  const socket = new Writable({
    write(_chunk, _encoding, cb) {
      writes.push(1);
      cb();
    },
    writev(chunks, cb) {
      writes.push(chunks.length);
      cb();
    },
  });
  return { socket, writes };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('WriteBatch', () => {
  it('holds writes made in one turn and releases them together after it', async () => {
    const batch = new WriteBatch();
    const { socket, writes } = recordingSocket();
    const turn = batch.turn;
    batch.hold(socket);
    socket.write('a');
    socket.write('b');
    socket.write('c');
    expect(socket.writableLength).toBe(3); // nothing left yet
    await new Promise((r) => setImmediate(r));
    expect(batch.turn).toBe(turn + 1);
    expect(socket.writableCorked).toBe(0);
    expect(writes).toEqual([3]);
  });

  it('waits out the interval after a flush, so the messages of the next turns share one write', () => {
    vi.useFakeTimers({ toFake: ['setImmediate', 'setTimeout', 'clearImmediate', 'clearTimeout', 'performance'] });
    const flushedAt: number[] = [];
    const batch = new WriteBatch(() => flushedAt.push(performance.now()), 10);
    const { socket, writes } = recordingSocket();
    const start = performance.now();

    batch.hold(socket); // idle until now: flushed after this turn, no wait
    socket.write('a');
    vi.advanceTimersToNextTimer();
    expect(writes).toEqual([1]);
    expect(flushedAt).toEqual([start]);

    vi.advanceTimersByTime(3);
    batch.hold(socket); // 3 ms after a flush: held until 10 ms after it
    socket.write('b');
    vi.advanceTimersByTime(4);
    const turn = batch.turn;
    batch.hold(socket); // a later turn within the interval: same flush (hold once per turn)
    socket.write('c');
    vi.advanceTimersByTime(2); // 9 ms after the first flush
    expect(writes).toEqual([1]);
    vi.advanceTimersByTime(1);
    expect(writes).toEqual([1, 2]);
    expect(flushedAt).toEqual([start, start + 10]);
    expect(batch.turn).toBe(turn + 1);

    vi.advanceTimersByTime(25); // quiet for longer than the interval: the next write waits for nothing
    batch.hold(socket);
    socket.write('d');
    vi.advanceTimersToNextTimer();
    expect(flushedAt).toEqual([start, start + 10, start + 35]);
    expect(writes).toEqual([1, 2, 1]);
  });

  it('flushes at once on flushNow (shutdown), and only once', () => {
    vi.useFakeTimers({ toFake: ['setImmediate', 'setTimeout', 'clearImmediate', 'clearTimeout', 'performance'] });
    let flushes = 0;
    const batch = new WriteBatch(() => flushes++, 10);
    const { socket, writes } = recordingSocket();
    batch.hold(socket);
    socket.write('a');
    vi.advanceTimersToNextTimer();
    batch.hold(socket);
    socket.write('b');
    expect(batch.pending).toBe(true);
    batch.flushNow();
    expect(writes).toEqual([1, 1]);
    expect(batch.pending).toBe(false);
    vi.runAllTimers();
    expect(flushes).toBe(2);
    batch.flushNow(); // nothing held: nothing happens
    expect(flushes).toBe(2);
  });
});

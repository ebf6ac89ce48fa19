import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { WriteBatch } from './write-batch.ts';

describe('WriteBatch', () => {
  it('holds writes made in one turn and releases them together after it', async () => {
    const batch = new WriteBatch();
    const socket = new PassThrough();
    const writes: number[] = [];
    const original = socket._writev?.bind(socket);
    socket._writev = (chunks, cb) => {
      writes.push(chunks.length);
      original?.(chunks, cb);
    };
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
});

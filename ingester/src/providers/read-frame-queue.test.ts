import { describe, expect, it } from 'vitest';
import { ReadFrameQueue } from './read-frame-queue.ts';

const text = (data: unknown): string => (data as Buffer).toString();
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('ReadFrameQueue', () => {
  it('hands on the frames of one turn after it, in order, each with its binary flag', async () => {
    const seen: string[] = [];
    const queue = new ReadFrameQueue((data, isBinary) => seen.push(`${text(data)}:${isBinary}`));
    queue.push(Buffer.from('a'), false);
    queue.push(Buffer.from('b'), true);
    queue.push(Buffer.from('c'), false);
    expect(seen).toEqual([]);
    await Promise.resolve();
    expect(seen).toEqual(['a:false', 'b:true', 'c:false']);
  });

  it("hands on every frame of the turn before a microtask its handler queues (TradeBatchingSink's hand-on)", async () => {
    const seen: string[] = [];
    let seenByTheMicrotask: string[] | undefined;
    const queue = new ReadFrameQueue((data) => {
      if (seen.length === 0) queueMicrotask(() => (seenByTheMicrotask = [...seen]));
      seen.push(text(data));
    });
    for (const t of ['1', '2', '3']) queue.push(Buffer.from(t), false);
    await nextTurn();
    expect(seenByTheMicrotask).toEqual(['1', '2', '3']);
  });

  it("hands on a later turn's frames after that turn, each frame once", async () => {
    const seen: string[] = [];
    const queue = new ReadFrameQueue((data) => seen.push(text(data)));
    queue.push(Buffer.from('a'), false);
    await nextTurn();
    expect(seen).toEqual(['a']);
    queue.push(Buffer.from('b'), false);
    queue.push(Buffer.from('c'), false);
    await nextTurn();
    expect(seen).toEqual(['a', 'b', 'c']);
  });
});

import { describe, expect, it, vi } from 'vitest';
import { RelayQueue } from './relay-queue.ts';
import type { Route } from './subscriptions.ts';

const route: Route = { channel: 'ticks', contractId: 'X' };
const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));

function harness(limits = { deliveries: 3, payloadBytes: 1_000, maxQueued: 4 }) {
  const sent: string[] = [];
  const flow: string[] = [];
  // Every message reaches one client; the test plays the flush by calling newTurn().
  const queue = new RelayQueue(
    (_r, raw) => {
      sent.push(raw);
      return 1;
    },
    { pause: () => flow.push('pause'), resume: () => flow.push('resume') },
    limits,
  );
  return { queue, sent, flow };
}

describe('RelayQueue', () => {
  it('sends at once within the turn budget, then holds the rest, in order, for the next turns', async () => {
    const { queue, sent } = harness();
    for (const m of ['a', 'b', 'c', 'd', 'e']) queue.relay(route, m, 0);
    expect(sent).toEqual(['a', 'b', 'c']);
    expect(queue.queued).toBe(2);
    queue.newTurn();
    await nextTurn();
    expect(sent).toEqual(['a', 'b', 'c', 'd', 'e']);
    queue.relay(route, 'f', 0); // the queue is empty again: straight through
    expect(sent).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('counts payload bytes too, and messages nobody wanted not at all', async () => {
    const sent: string[] = [];
    const queue = new RelayQueue(
      (_r, raw) => {
        sent.push(raw);
        return raw === 'unwanted' ? 0 : 1;
      },
      { pause() {}, resume() {} },
      { deliveries: 100, payloadBytes: 10, maxQueued: 100 },
    );
    queue.relay(route, 'unwanted', 0);
    queue.relay(route, 'x'.repeat(10), 0);
    queue.relay(route, 'y', 0);
    expect(sent).toEqual(['unwanted', 'x'.repeat(10)]);
    queue.newTurn();
    await nextTurn();
    expect(sent.at(-1)).toBe('y');
  });

  it('past the budget, waits for the next turn without polling for it', async () => {
    const { queue, sent } = harness({ deliveries: 1, payloadBytes: 1_000, maxQueued: 100 });
    queue.relay(route, 'a', 0);
    queue.relay(route, 'b', 0); // over budget: waits for a flush that may be an interval away
    const spins = vi.spyOn(globalThis, 'setImmediate');
    for (let i = 0; i < 5; i++) await nextTurn();
    // Only the test's own turns: the queue scheduled nothing while it could not send.
    expect(spins).toHaveBeenCalledTimes(5);
    spins.mockRestore();
    expect(sent).toEqual(['a']);
    queue.newTurn();
    await nextTurn();
    expect(sent).toEqual(['a', 'b']);
  });

  it('pauses reading while too many messages wait and resumes once half have gone', async () => {
    const { queue, flow } = harness({ deliveries: 1, payloadBytes: 1_000, maxQueued: 4 });
    for (let i = 0; i < 5; i++) queue.relay(route, `m${i}`, 0); // one sent, four waiting
    expect(flow).toEqual(['pause']);
    queue.newTurn();
    await nextTurn(); // one more sent: three wait
    expect(flow).toEqual(['pause']);
    queue.newTurn();
    await nextTurn(); // two wait: half of maxQueued
    expect(flow).toEqual(['pause', 'resume']);
  });
});

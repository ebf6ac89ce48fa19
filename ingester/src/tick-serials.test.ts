import { describe, expect, it } from 'vitest';
import { TickSerials } from './tick-serials.ts';

function arrived(n: number): TickSerials {
  const serials = new TickSerials();
  for (let i = 0; i < n; i++) serials.append();
  return serials;
}

describe('TickSerials', () => {
  it('has nothing pending before the first tick or once every taken batch settled', () => {
    const serials = arrived(0);
    expect(serials.oldestPending).toBe(0);
    serials.append();
    serials.append();
    expect(serials.oldestPending).toBe(0);
    serials.settle(serials.take(2));
    expect(serials.oldestPending).toBe(2);
    expect(serials.arrived).toBe(2);
  });

  it('tells the oldest tick still buffered from the oldest pending: a taken batch is no longer buffered', () => {
    const serials = arrived(6);
    expect(serials.oldestBuffered).toBe(0);
    const batch = serials.take(4);
    expect(serials.oldestBuffered).toBe(4);
    expect(serials.oldestPending).toBe(0);
    serials.take(2);
    expect(serials.oldestBuffered).toBe(6);
    serials.putBack(batch);
    expect(serials.oldestBuffered).toBe(0);
  });

  it('holds back the oldest batch in flight, whichever settles first', () => {
    const serials = arrived(10);
    const older = serials.take(4);
    const newer = serials.take(4);
    expect(older).toEqual([[0, 4]]);
    expect(newer).toEqual([[4, 4]]);
    serials.settle(newer);
    expect(serials.oldestPending).toBe(0);
    serials.settle(older);
    expect(serials.oldestPending).toBe(8);
  });

  it('puts failed batches back in front in order, and drops the oldest when told', () => {
    const serials = arrived(10);
    const older = serials.take(3);
    const newer = serials.take(3);
    serials.append(); // 10
    // The flush sequence requeues the newest failed first.
    serials.putBack(newer);
    serials.putBack(older);
    expect(serials.bufferedCount).toBe(11);
    expect(serials.oldestPending).toBe(0);
    serials.dropOldest(4);
    expect(serials.oldestPending).toBe(4);
    expect(serials.take(7)).toEqual([[4, 7]]);
  });

  it('narrows a batch to the ticks kept: those left out no longer hold anything back', () => {
    const serials = arrived(6);
    const batch = serials.take(6);
    const kept = serials.narrow(batch, (i) => i % 2 === 1);
    expect(kept).toEqual([
      [1, 1],
      [3, 1],
      [5, 1],
    ]);
    serials.putBack(kept);
    expect(serials.bufferedCount).toBe(3);
    expect(serials.oldestPending).toBe(1);
    serials.settle(serials.take(1));
    expect(serials.oldestPending).toBe(3);
  });

  it('refuses to take more than is buffered, naming how many', () => {
    const serials = arrived(2);
    expect(() => serials.take(3)).toThrow(/1 more ticks taken than buffered/);
  });
});

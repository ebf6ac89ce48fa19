import type { Trade } from '@barstream/core';
import { describe, expect, it } from 'vitest';
import { SIDES, type TickBatch, tickBatchOf } from './tick-batch.ts';
import { TickBuffer } from './tick-buffer.ts';

const trade = (i: number, extra: Partial<Trade> = {}): Trade => ({
  contractId: `C${i % 3}`,
  time: 1_767_225_600_000 + i + 0.25,
  price: 100 + i,
  volume: i % 7,
  side: SIDES[i % 3] ?? 'unknown',
  ...extra,
});

/** A batch back as trades (what a flush stores). */
const trades = (b: TickBatch): Trade[] =>
  Array.from({ length: b.length }, (_, i) => {
    const id = b.tradeId?.[i];
    return {
      contractId: b.contractIds[b.contract[i] as number] as string,
      time: b.time[i] as number,
      price: b.price[i] as number,
      volume: b.volume[i] as number,
      side: SIDES[b.side[i] as number] ?? 'unknown',
      ...(id === undefined ? {} : { tradeId: id }),
    };
  });

describe('TickBuffer', () => {
  it('hands ticks back in order, a flush at a time, across growth', () => {
    const buffer = new TickBuffer();
    const all = Array.from({ length: 10_000 }, (_, i) => trade(i));
    const taken: Trade[] = [];
    all.forEach((t, i) => {
      buffer.append(t);
      if (i % 3_001 === 3_000) taken.push(...trades(buffer.take(2_500)));
    });
    while (buffer.length > 0) taken.push(...trades(buffer.take(2_500)));
    expect(taken).toEqual(all);
  });

  it('puts a failed batch back in front, before ticks that arrived since', () => {
    const buffer = new TickBuffer();
    for (let i = 0; i < 5; i++) buffer.append(trade(i));
    const failed = buffer.take(3);
    for (let i = 5; i < 8; i++) buffer.append(trade(i, { tradeId: `t${i}` }));
    buffer.putBack(failed);
    expect(trades(buffer.take(100))).toEqual(
      [0, 1, 2, 3, 4].map((i) => trade(i)).concat([5, 6, 7].map((i) => trade(i, { tradeId: `t${i}` }))),
    );
  });

  it('puts back a batch larger than the room in front of it', () => {
    const buffer = new TickBuffer();
    for (let i = 0; i < 6_000; i++) buffer.append(trade(i));
    const failed = buffer.take(5_000);
    buffer.putBack(failed);
    expect(buffer.length).toBe(6_000);
    expect(trades(buffer.take(10_000))).toEqual(Array.from({ length: 6_000 }, (_, i) => trade(i)));
  });

  it('drops the oldest ticks', () => {
    const buffer = new TickBuffer();
    for (let i = 0; i < 10; i++) buffer.append(trade(i, { tradeId: `t${i}` }));
    buffer.dropOldest(7);
    expect(trades(buffer.take(10))).toEqual([7, 8, 9].map((i) => trade(i, { tradeId: `t${i}` })));
  });

  it('refuses a batch it did not hand out', () => {
    expect(() => new TickBuffer().putBack(tickBatchOf([trade(1)]))).toThrow(/not taken from this buffer/);
  });
});

describe('tickBatchOf', () => {
  it('names a side the ticks table refuses', () => {
    expect(() => tickBatchOf([trade(1, { side: 'bogus' as Trade['side'] })])).toThrow(/side 'bogus' is not buy, sell or unknown/);
  });

  it('gives back what a burst grew once it drains, and keeps a flood-sized buffer', () => {
    const buffer = new TickBuffer();
    const burst = Array.from({ length: 200_000 }, (_, i) => trade(i, { tradeId: `b${i}` }));
    for (const t of burst) buffer.append(t);
    expect(buffer.capacity).toBeGreaterThanOrEqual(200_000);
    const taken: Trade[] = [];
    while (buffer.length > 0) taken.push(...trades(buffer.take(25_000)));
    expect(taken).toEqual(burst);
    expect(buffer.capacity).toBe(4_096);
    // After the shrink it still takes ticks, vendor ids included.
    buffer.append(trade(1, { tradeId: 'after' }));
    expect(trades(buffer.take(10))).toEqual([trade(1, { tradeId: 'after' })]);
    for (let i = 0; i < 30_000; i++) buffer.append(trade(i));
    const grown = buffer.capacity;
    while (buffer.length > 0) buffer.take(25_000);
    expect(grown).toBeLessThanOrEqual(65_536);
    expect(buffer.capacity).toBe(grown);
  });
});

import { describe, expect, it } from 'vitest';
import { SignalBatch, signalDetails } from './signal-batch.ts';

const bar = (i: number) => ({ time: 60_000 * i, open: i, high: i + 1.5, low: i - 0.25, close: i + 0.5, volume: 10 * i });

describe('SignalBatch', () => {
  it('keeps every signal of a batch past its first capacity, in order, and selects some of them', () => {
    const batch = new SignalBatch();
    for (let i = 0; i < 200; i++)
      batch.add({ type: i % 2 ? 'up' : 'down', bar: bar(i), price: i % 3 ? i : NaN, details: { n: i } }, 60_000 * (i + 2));
    expect(batch.length).toBe(200);
    const { time, open, high, low, close, volume } = batch.bars;
    expect([time[150], open[150], high[150], low[150], close[150], volume[150]]).toEqual([9_000_000, 150, 151.5, 149.75, 150.5, 1500]);
    expect(batch.price[150]).toBeNaN();
    expect(batch.types[151]).toBe('up');
    expect(JSON.parse(batch.details[199] as string)).toEqual({ n: 199, trigger_time: new Date(60_000 * 201).toISOString() });
    const some = batch.select([199, 3]);
    expect(some.length).toBe(2);
    expect([some.bars.time[0], some.bars.time[1], some.types[1], some.details[0]]).toEqual([
      60_000 * 199,
      180_000,
      'up',
      batch.details[199],
    ]);
  });

  it('is empty after clear, and what is added after it is all it holds', () => {
    const batch = new SignalBatch();
    for (let i = 0; i < 3000; i++) batch.add({ type: 'up', bar: bar(i), price: i, details: { n: i, note: 'é'.repeat(i % 7) } }, 60_000 * i);
    expect(batch.clear().length).toBe(0);
    expect([batch.bars.length, batch.details.length, batch.price.length]).toEqual([0, 0, 0]);
    batch.add({ type: 'down', bar: bar(5), price: NaN, details: { rule: 'R' } }, 60_000 * 7);
    batch.add({ type: 'up', bar: bar(6), price: 6, details: {} }, 60_000 * 8);
    expect(batch.length).toBe(2);
    expect([...batch.bars.time]).toEqual([300_000, 360_000]);
    expect([...batch.bars.volume]).toEqual([50, 60]);
    expect(batch.types).toEqual(['down', 'up']);
    expect(batch.details).toEqual([signalDetails({ rule: 'R' }, 60_000 * 7), signalDetails({}, 60_000 * 8)]);
  });

  it('stores the details as JSON with the trigger time appended, overriding a strategy’s own', () => {
    expect(signalDetails({}, 0)).toBe('{"trigger_time":"1970-01-01T00:00:00.000Z"}');
    expect(JSON.parse(signalDetails({ rule: 'X', trigger_time: 'mine' }, 86_400_001))).toEqual({
      rule: 'X',
      trigger_time: '1970-01-02T00:00:00.001Z',
    });
  });

  it('writes the same text as stringifying a copy with the trigger time, whatever the details', () => {
    class WithToJson {
      rule = 'R';
      toJSON(): unknown {
        return { rule: 'serialised' };
      }
    }
    const shapes: Record<string, unknown>[] = [
      {},
      { rule: 'HigherOHLCAfterLowBreak_G', bar_index: 1, trigger_bar_index: 4 },
      { nested: { a: [1, 2.5, null], b: 'é"\\\n' }, n: -0.1, big: 1e21, skipped: undefined },
      { trigger_time: 'mine', after: 1 },
      Object.create(null) as Record<string, unknown>,
      new WithToJson() as unknown as Record<string, unknown>,
      Object.assign(Object.create({ inherited: 1 }) as Record<string, unknown>, { own: 2 }),
    ];
    for (const d of shapes) {
      expect(signalDetails(d, 1_577_836_980_000)).toBe(JSON.stringify({ ...d, trigger_time: '2020-01-01T00:03:00.000Z' }));
    }
  });
});

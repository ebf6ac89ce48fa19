import { describe, expect, it } from 'vitest';
import { tickBatchesOf, tickNotifyPayloadSchema, type Trade } from './schemas/tick.ts';
import { TickPayloadBuilder } from './tick-payloads.ts';

const trade = (contractId: string, i: number): Trade => ({
  contractId,
  time: 1_750_000_000_000 + i + 0.123,
  price: 5000 + i * 0.25,
  volume: i % 7,
  side: 'sell',
});

/** Builds the payloads and reads them back as the broadcaster does: per-contract messages. */
function roundTrip(trades: readonly Trade[], maxBytes?: number): { payloads: string[]; byContract: Map<string, number[]> } {
  const builder = new TickPayloadBuilder(maxBytes);
  for (const t of trades) builder.add(t);
  const payloads = builder.finish();
  const byContract = new Map<string, number[]>();
  for (const p of payloads) {
    expect(new TextEncoder().encode(p).length).toBeLessThan(maxBytes ?? 8000);
    for (const batch of tickBatchesOf(tickNotifyPayloadSchema.parse(JSON.parse(p)))) {
      const prices = byContract.get(batch.contract_id) ?? [];
      prices.push(...batch.ticks.map((t) => t.price));
      byContract.set(batch.contract_id, prices);
    }
  }
  return { payloads, byContract };
}

describe('TickPayloadBuilder', () => {
  it('splits into valid payloads each under 8000 bytes without losing or reordering a tick', () => {
    const trades = Array.from({ length: 1000 }, (_, i) => trade('CON.F.US.MES.M25', i));
    const { payloads, byContract } = roundTrip(trades);
    expect(payloads.length).toBeGreaterThan(1);
    expect(byContract.get('CON.F.US.MES.M25')).toEqual(trades.map((t) => t.price));
    const first = tickBatchesOf(tickNotifyPayloadSchema.parse(JSON.parse(payloads[0] as string)))[0];
    expect(first?.ticks[0]?.timestamp).toBe('2025-06-15T15:06:40.000123Z');
  });

  it('puts many contracts in one payload: NOTIFYs grow with bytes, not with contracts', () => {
    const one = roundTrip(Array.from({ length: 50 }, (_, i) => trade('C000', i))).payloads;
    const fifty = roundTrip(Array.from({ length: 50 }, (_, i) => trade(`C${String(i).padStart(3, '0')}`, i)));
    expect(one).toHaveLength(1);
    // The same ticks over 50 contracts (one tick each) still fit one NOTIFY, the contract heads included.
    expect(fifty.payloads).toHaveLength(1);
    expect(fifty.byContract.size).toBe(50);
    expect([...fifty.byContract.values()].every((p) => p.length === 1)).toBe(true);
  });

  it('keeps each contract in order when contracts interleave across payload boundaries, counting UTF-8 bytes', () => {
    const ids = ['A', 'B', 'É.ü.合約'];
    const trades = Array.from({ length: 3000 }, (_, i) => trade(ids[i % 3] as string, i));
    const { payloads, byContract } = roundTrip(trades, 1000);
    expect(payloads.length).toBeGreaterThan(10);
    for (const id of ids) expect(byContract.get(id)).toEqual(trades.filter((t) => t.contractId === id).map((t) => t.price));
  });

  it('has its payloads refused by the registry schema when a contract part is bad, naming the field', () => {
    const tick = { timestamp: '2026-03-02T14:30:00.000500Z', price: 5000, volume: 1, side: 'buy' };
    const bad = tickNotifyPayloadSchema.safeParse({ type: 'ticks', contracts: [{ contract_id: 'A', ticks: [{ ...tick, price: -1 }] }] });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toContain('price');
    expect(tickNotifyPayloadSchema.safeParse({ type: 'ticks', contracts: [] }).success).toBe(false);
    expect(tickNotifyPayloadSchema.safeParse({ type: 'ticks', contracts: [{ contract_id: 'A', ticks: [tick] }] }).success).toBe(true);
  });

  it('gives the same payloads as one binary text[] (length, dimension, each payload after its length), in order', () => {
    const ids = ['A', 'É.ü.合約'];
    const trades = Array.from({ length: 2000 }, (_, i) => trade(ids[i % 2] as string, i));
    const strings = new TickPayloadBuilder(1000);
    const binary = new TickPayloadBuilder(1000, true);
    for (const t of trades) {
      strings.add(t);
      binary.add(t);
    }
    const expected = strings.finish();
    const { count, array } = binary.finishTextArray();
    expect(count).toBe(expected.length);
    expect([array.readInt32BE(0), array.readInt32BE(4), array.readInt32BE(8), array.readInt32BE(12), array.readInt32BE(16)]).toEqual([
      1,
      0,
      25,
      expected.length,
      1,
    ]);
    const read: string[] = [];
    for (let at = 20; at < array.length;) {
      const n = array.readInt32BE(at);
      read.push(array.toString('utf8', at + 4, at + 4 + n));
      at += 4 + n;
    }
    expect(read).toEqual(expected);
    expect(binary.finishTextArray().count).toBe(0);
    expect(() => binary.finish()).toThrow(/finishTextArray/);
  });

  it('is empty after finish', () => {
    const builder = new TickPayloadBuilder();
    builder.add(trade('A', 1));
    expect(builder.finish()).toHaveLength(1);
    expect(builder.finish()).toEqual([]);
  });
});

describe('isoWithMicros', () => {
  it('formats milliseconds and microseconds like Postgres expects, carrying rounding correctly', async () => {
    const { isoWithMicros } = await import('./schemas/tick.ts');
    expect(isoWithMicros(Date.parse('2025-05-07T14:30:01.123Z') + 0.457)).toBe('2025-05-07T14:30:01.123457Z');
    expect(isoWithMicros(Date.parse('2025-05-07T14:30:01.000Z'))).toBe('2025-05-07T14:30:01.000Z');
    expect(isoWithMicros(Date.parse('2025-05-07T14:30:01.999Z') + 0.9996)).toBe('2025-05-07T14:30:02.000Z');
    expect(isoWithMicros(Date.parse('1969-12-31T23:59:59.500Z'))).toBe('1969-12-31T23:59:59.500Z');
    for (let i = 0; i < 1000; i++) {
      const t = 1_750_000_000_000 + i * 1_234.567;
      const micros = Math.round(t * 1000);
      const base = new Date(Math.floor(micros / 1000)).toISOString();
      const expected = micros % 1000 === 0 ? base : `${base.slice(0, -1)}${String(micros % 1000).padStart(3, '0')}Z`;
      expect(isoWithMicros(t)).toBe(expected);
    }
  });
});

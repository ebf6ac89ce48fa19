import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { tickClientFrames } from './tick-client-frames.ts';
import { TickPayloadBuilder } from './tick-payloads.ts';
import {
  isoWithMicros,
  multiContractTicksMessageSchema,
  tickBatchesOf,
  tickBatchMessageSchema,
  tickNotifyPayloadSchema,
  type Trade,
  type TradeSide,
} from './schemas/tick.ts';
import { tickPayloadContractIds } from './schemas/tick-payload-contracts.ts';

const SIDES: readonly TradeSide[] = ['buy', 'sell', 'unknown'];
const utf8 = new TextEncoder();

/** Random trades: microsecond times (in order or not), prices from 1e-6 to 1e9, many contracts. */
const tradesArb = fc
  .array(
    fc.record({
      contract: fc.integer({ min: 0, max: 40 }),
      micros: fc.integer({ min: 0, max: 4_000_000_000_000_000 }),
      price: fc.oneof(
        fc.double({ min: 1e-6, max: 1e9, noNaN: true, noDefaultInfinity: true }),
        fc.integer({ min: 4000, max: 8000 }).map((n) => n * 0.25),
      ),
      volume: fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true })),
      side: fc.constantFrom(...SIDES),
    }),
    { maxLength: 600 },
  )
  .map((rows) =>
    rows.map((r): Trade => ({
      // Contract ids of several lengths, one with text that is more bytes than characters.
      contractId: r.contract === 7 ? 'É.ü.合約' : `CON.F.US.C${r.contract}.${'X'.repeat(r.contract % 5)}`,
      time: r.micros / 1000,
      price: r.price,
      volume: r.volume,
      side: r.side,
    })),
  );

/** The client messages the object form gave for these trades (what the broadcaster sent before). */
function objectFormFrames(trades: readonly Trade[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const t of trades) {
    const ticks = out.get(t.contractId) ?? [];
    ticks.push(JSON.stringify({ timestamp: isoWithMicros(t.time), price: t.price, volume: t.volume, side: t.side }));
    out.set(t.contractId, ticks);
  }
  return out;
}

function build(trades: readonly Trade[], maxBytes?: number): string[] {
  const builder = new TickPayloadBuilder(maxBytes);
  for (const t of trades) builder.add(t);
  return builder.finish();
}

describe('the columnar tick_data_channel payload', () => {
  it('round-trips any ticks through payloads under the limit, each contract in order, as the clients got them before', () => {
    fc.assert(
      fc.property(tradesArb, fc.constantFrom(7999, 1500, 400), (trades, maxBytes) => {
        const payloads = build(trades, maxBytes);
        const got = new Map<string, string[]>();
        for (const raw of payloads) {
          expect(utf8.encode(raw).length).toBeLessThanOrEqual(maxBytes);
          const payload = tickNotifyPayloadSchema.parse(JSON.parse(raw));
          const frames = tickClientFrames(payload, raw);
          // The frames written directly are what JSON.stringify makes of the expanded messages.
          expect(frames.map((f) => f.json)).toEqual(tickBatchesOf(payload).map((b) => JSON.stringify(b)));
          for (const f of frames) {
            const message = tickBatchMessageSchema.parse(JSON.parse(f.json));
            expect(message.contract_id).toBe(f.contractId);
            got.set(f.contractId, [...(got.get(f.contractId) ?? []), ...message.ticks.map((t) => JSON.stringify(t))]);
          }
        }
        expect(got).toEqual(objectFormFrames(trades));
      }),
      { numRuns: 60 },
    );
  });

  it('relays the same client frames as the object form did for the same ticks', () => {
    const trades: Trade[] = Array.from({ length: 900 }, (_, i) => ({
      contractId: `C${i % 3}`,
      time: 1_780_000_000_000 + i * 0.731,
      price: 6012.25 + (i % 9) * 0.25,
      volume: 1 + (i % 4),
      side: SIDES[i % 3] as TradeSide,
    }));
    const before = build(trades.slice(0, 0)); // nothing in, nothing out
    expect(before).toEqual([]);
    const legacy = {
      type: 'ticks' as const,
      contracts: [...objectFormFrames(trades)].map(([id, ticks]) => ({
        contract_id: id,
        ticks: ticks.map((t) => JSON.parse(t) as unknown),
      })),
    };
    const legacyRaw = JSON.stringify(legacy);
    const legacyFrames = tickClientFrames(tickNotifyPayloadSchema.parse(legacy), legacyRaw);
    const columnFrames = build(trades, 1_000_000).flatMap((raw) => tickClientFrames(tickNotifyPayloadSchema.parse(JSON.parse(raw)), raw));
    expect(columnFrames).toEqual(legacyFrames);
  });

  it('takes at most 25 bytes a tick for realistic ticks, several contracts a payload', () => {
    const trades: Trade[] = Array.from({ length: 20_000 }, (_, i) => ({
      contractId: `CON.F.US.M${i % 10}.H26`,
      time: 1_780_000_000_000 + i * 3.217,
      price: 6012.25 + ((i * 7919) % 41) * 0.25,
      volume: 1 + ((i * 31) % 12),
      side: i % 2 ? 'buy' : 'sell',
    }));
    const payloads = build(trades);
    const bytes = payloads.reduce((n, p) => n + utf8.encode(p).length, 0);
    expect(bytes / trades.length).toBeLessThanOrEqual(25);
    const first = tickNotifyPayloadSchema.parse(JSON.parse(payloads[0] as string));
    expect('contracts' in first && first.contracts.length).toBe(10);
  });

  it('is refused with an error naming what is wrong, and an object-form reader refuses it outright', () => {
    const good = JSON.parse(build([{ contractId: 'A', time: 1_780_000_000_000.5, price: 5000, volume: 1, side: 'buy' }])[0] as string) as {
      contracts: Record<string, unknown>[];
    };
    expect(tickNotifyPayloadSchema.safeParse(good).success).toBe(true);
    const issues = (value: unknown): string => {
      const r = tickNotifyPayloadSchema.safeParse(value);
      expect(r.success).toBe(false);
      return (r.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    };
    const part = good.contracts[0] as Record<string, unknown>;
    expect(issues({ ...good, v: 2 })).toMatch(/^v: /);
    expect(issues({ ...good, contracts: [{ ...part, p: [5000, 5001] }] })).toContain('contracts.0.p: has 2 entries for 1 ticks');
    expect(issues({ ...good, contracts: [{ ...part, p: [-1] }] })).toContain('contracts.0.p.0');
    expect(issues({ ...good, contracts: [{ ...part, s: 'x' }] })).toContain('contracts.0.s');
    expect(issues({ ...good, contracts: [{ ...part, t0: 1.5 }] })).toContain('contracts.0.t0');
    expect(issues({ ...good, contracts: [] })).toContain('contracts');
    // A type no form has: every form's errors, each naming `type`.
    expect(JSON.stringify(tickNotifyPayloadSchema.safeParse({ ...good, type: 'tickz' }).error?.issues)).toContain('"path":["type"]');
    // What a listener built before the columnar form parses with: it fails, it never reads wrong ticks.
    const objectForms = z.union([tickBatchMessageSchema, multiContractTicksMessageSchema]);
    expect(objectForms.safeParse(good).success).toBe(false);
  });

  it("names its contracts where the trader's raw read looks for them", () => {
    const raw = build([
      { contractId: 'A', time: 1, price: 1, volume: 1, side: 'buy' },
      { contractId: 'B', time: 2, price: 1, volume: 1, side: 'sell' },
    ]);
    expect(raw.flatMap((p) => tickPayloadContractIds(p) ?? ['unreadable'])).toEqual(['A', 'B']);
  });
});

describe('TickPayloadBuilder byte accounting', () => {
  it('fills a payload to the byte without passing the limit, whatever the numbers’ decimal lengths', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            gap: fc.oneof(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.constantFrom(0, 9, 10, 99, 100, 999_999, 1_000_000)),
            price: fc.oneof(fc.constantFrom(9.75, 10, 99.5, 100, 1e-7, 123456789.125), fc.double({ min: 1e-9, max: 1e15, noNaN: true })),
            volume: fc.oneof(fc.constantFrom(0, 9, 10, 1e20), fc.double({ min: 0, max: 1e25, noNaN: true, noDefaultInfinity: true })),
          }),
          { minLength: 1, maxLength: 300 },
        ),
        fc.integer({ min: 200, max: 600 }),
        (rows, maxBytes) => {
          let micros = 1_780_000_000_000_000;
          let micros0 = micros;
          const builder = new TickPayloadBuilder(maxBytes);
          for (const [i, r] of rows.entries()) builder.addTick(`C${i % 3}`, (micros += r.gap), r.price, r.volume, 'buy');
          const payloads = builder.finish();
          const counts = payloads.map((raw) => {
            expect(utf8.encode(raw).length).toBeLessThanOrEqual(maxBytes);
            const p = tickNotifyPayloadSchema.parse(JSON.parse(raw));
            return tickBatchesOf(p).reduce((m, b) => m + b.ticks.length, 0);
          });
          expect(counts.reduce((a, b) => a + b, 0)).toBe(rows.length);
          // Each payload but the last was closed because the next tick did not fit: with it (costing at most
          // a payload of its own, envelope and contract header included) it would have passed the limit.
          const times = rows.map((r) => (micros0 += r.gap));
          let first = 0;
          for (const [k, raw] of payloads.slice(0, -1).entries()) {
            first += counts[k] as number;
            const next = rows[first] as (typeof rows)[number];
            const alone = new TickPayloadBuilder(maxBytes);
            alone.addTick(`C${first % 3}`, times[first] as number, next.price, next.volume, 'buy');
            const [single] = alone.finish();
            expect(utf8.encode(raw).length + utf8.encode(single as string).length).toBeGreaterThan(maxBytes);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

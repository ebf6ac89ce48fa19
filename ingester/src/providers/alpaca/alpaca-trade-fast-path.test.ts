import { describe, expect, it } from 'vitest';
import { seededRandom } from '../seeded-random.ts';
import { parseAlpacaFrame } from './alpaca-frame.ts';
import { tradeMessageSchema } from './alpaca-schemas.ts';
import { fastAlpacaTrade } from './alpaca-trade-fast-path.ts';

const good = { T: 't', S: 'SPY', i: 96921, x: 'V', p: 512.25, s: 100, c: ['@', 'I'], t: '2024-03-05T14:30:00.123456789Z', z: 'B' };
const symbols = new Set(['SPY']);

describe('fastAlpacaTrade', () => {
  it('reads a trade exactly as the zod path does', () => {
    const variants = [
      good,
      { ...good, z: undefined, c: undefined },
      { ...good, s: 0 },
      { ...good, t: '2024-03-05T09:30:00-05:00' },
      { ...good, extra: 1 },
    ];
    for (const message of variants) {
      const schema = tradeMessageSchema.parse(message);
      expect(fastAlpacaTrade(message, symbols)).toEqual({
        contractId: schema.S,
        time: schema.t,
        price: schema.p,
        volume: schema.s,
        side: 'unknown',
        tradeId: schema.z ? `${schema.z}${schema.i}` : String(schema.i),
      });
    }
  });

  it('declines what zod would reject (or must name), so the frame parser still rejects it with the reason', () => {
    const bad = [
      { ...good, S: '' },
      { ...good, S: 'X'.repeat(33) },
      { ...good, S: 'QQQ' },
      { ...good, i: -1 },
      { ...good, i: 1.5 },
      { ...good, i: '7' },
      { ...good, x: 3 },
      { ...good, p: 0 },
      { ...good, p: '512' },
      { ...good, s: -1 },
      { ...good, c: ['@', 1] },
      { ...good, z: 2 },
      { ...good, t: 'noon' },
      { ...good, t: 1_709_649_000_000 },
    ];
    for (const message of bad) {
      expect(fastAlpacaTrade(message, symbols)).toBeUndefined();
      const frame = parseAlpacaFrame(JSON.stringify([message]), symbols);
      expect(frame.trades).toEqual([]);
      expect(frame.rejected).toHaveLength(1);
    }
  });
});

/** Values every trade field is tried with: good ones, wrong types, NaN and infinities (possible in an object,
 * never in JSON), and the times the schema must refuse. */
const CANDIDATES: readonly unknown[] = [
  undefined,
  null,
  true,
  0,
  -0,
  -1,
  1.5,
  512.25,
  96921,
  2 ** 53,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  '7',
  '',
  'SPY',
  'QQQ',
  'X'.repeat(33),
  'V',
  'C',
  [],
  ['@', 'I'],
  ['@', 1],
  {},
  '2024-03-05T14:30:00.123456789Z',
  '2024-03-05T14:30:59Z',
  '2024-03-05T14:30:60Z',
  '2024-12-31T23:59:60Z',
  '2024-03-05T14:30:00.1Z',
  '2024-02-29T12:00:00Z',
  '2023-02-29T12:00:00Z',
  '2024-03-05T24:00:00Z',
  '2024-03-05T14:30:00.Z',
  '2024-03-05T14:30:00.1234567890Z',
  '2024-03-05T14:30:00z',
  '2024-03-05T14:30:00',
  '2024-03-05T09:30:00-05:00',
  '2024-03-05 14:30:00Z',
];
const FIELDS = ['S', 'i', 'x', 'p', 's', 't', 'c', 'z'] as const;

/** The zod path's trade, or undefined when it rejects the message. */
function viaZod(message: unknown): unknown {
  const parsed = tradeMessageSchema.safeParse(message);
  if (!parsed.success || !symbols.has(parsed.data.S)) return undefined;
  const t = parsed.data;
  return { contractId: t.S, time: t.t, price: t.p, volume: t.s, side: 'unknown', tradeId: t.z ? `${t.z}${t.i}` : String(t.i) };
}

describe('fastAlpacaTrade against the zod path, field by field', () => {
  it('a missing field, a wrong type, a NaN or infinite price or size, a bad time: declined exactly when zod rejects, equal when not', () => {
    let accepted = 0;
    let declined = 0;
    for (const field of FIELDS) {
      for (const value of CANDIDATES) {
        const message: Record<string, unknown> = { ...good, [field]: value };
        if (value === undefined) delete message[field];
        const label = `${field} = ${String(value)}`;
        const fast = fastAlpacaTrade(message, symbols);
        expect([label, fast]).toEqual([label, viaZod(message)]);
        if (fast) accepted++;
        else declined++;
      }
    }
    expect(accepted).toBeGreaterThan(30);
    expect(declined).toBeGreaterThan(200);
  });

  it('agrees on random messages mixing good and bad fields (seeded)', () => {
    const random = seededRandom(29);
    const pick = () => CANDIDATES[Math.floor(random() * CANDIDATES.length)];
    let accepted = 0;
    for (let k = 0; k < 1_000; k++) {
      const message: Record<string, unknown> = { ...good };
      for (const field of FIELDS) if (random() < 0.3) message[field] = pick();
      const fast = fastAlpacaTrade(message, symbols);
      const zod = viaZod(message);
      // expect() only on a difference: thousands of deep comparisons would make this the slowest unit test.
      if (JSON.stringify(fast) !== JSON.stringify(zod)) expect([String(k), fast]).toEqual([String(k), zod]);
      if (fast) accepted++;
    }
    expect(accepted).toBeGreaterThan(50);
  });

  it('a frame whose trade zod rejects stores nothing and names the field', () => {
    for (const [message, field] of [
      [{ ...good, p: null }, 'p'],
      [{ ...good, t: '2024-03-05T24:00:00Z' }, 't'],
      [{ ...good, i: undefined }, 'i'],
    ] as const) {
      const frame = parseAlpacaFrame(JSON.stringify([message]), symbols);
      expect(frame.trades).toEqual([]);
      expect(frame.rejected[0]?.reason).toMatch(new RegExp(`invalid trade: ${field}: `));
    }
  });
});

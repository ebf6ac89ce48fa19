import { describe, expect, it } from 'vitest';
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

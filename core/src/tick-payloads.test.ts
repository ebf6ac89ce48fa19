import { describe, expect, it } from 'vitest';
import { tickBatchMessageSchema } from './schemas/tick.ts';
import { tickPayloads } from './tick-payloads.ts';

describe('tickPayloads', () => {
  it('splits into valid payloads each under 8000 bytes without losing a tick', () => {
    const trades = Array.from({ length: 1000 }, (_, i) => ({
      contractId: 'CON.F.US.MES.M25',
      time: 1_750_000_000_000 + i + 0.123,
      price: 5000 + i * 0.25,
      volume: i % 7,
      side: 'sell' as const,
    }));
    const payloads = tickPayloads('CON.F.US.MES.M25', trades);
    expect(payloads.length).toBeGreaterThan(1);
    let count = 0;
    for (const p of payloads) {
      expect(new TextEncoder().encode(p).length).toBeLessThan(8000);
      const parsed = tickBatchMessageSchema.parse(JSON.parse(p));
      count += parsed.ticks.length;
    }
    expect(count).toBe(1000);
    const first = tickBatchMessageSchema.parse(JSON.parse(payloads[0] as string));
    expect(first.ticks[0]?.timestamp).toBe('2025-06-15T15:06:40.000123Z');
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

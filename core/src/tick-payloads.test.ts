import { describe, expect, it } from 'vitest';
import { tickBatchMessageSchema } from './schemas/tick.ts';
import { tickPayloads } from './tick-payloads.ts';

describe('tickPayloads', () => {
  it('splits into valid payloads each under 8000 bytes without losing a tick', () => {
    const trades = Array.from({ length: 1000 }, (_, i) => ({
      contractId: 'CON.F.US.MES.M25', time: 1_750_000_000_000 + i + 0.123, price: 5000 + i * 0.25, volume: i % 7, side: 'sell' as const,
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

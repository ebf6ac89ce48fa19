import { describe, expect, it } from 'vitest';
import { isoTime, MAX_ISO_TIME_BYTES, writeIsoTime } from './iso-time.ts';

describe('isoTime', () => {
  it('writes what Date#toISOString writes, across days, years and signs', () => {
    const times = [
      0,
      1,
      999,
      59_999,
      86_399_999,
      86_400_000,
      -1,
      -86_400_001,
      Date.parse('2026-03-02T13:45:07.089Z'),
      253_402_300_800_000,
      -62_198_755_200_001,
    ];
    for (let t = Date.parse('2024-02-28T23:59:59.990Z'); t < Date.parse('2024-03-01T00:00:00.010Z'); t += 3_599_993) times.push(t);
    for (const t of times) expect(isoTime(t), String(t)).toBe(new Date(t).toISOString());
    const buf = Buffer.alloc(3 + MAX_ISO_TIME_BYTES);
    for (const t of [...times, 8.64e15, -8.64e15, 1_700_000_000_123.75, -0.5]) {
      const end = writeIsoTime(buf, 3, t);
      expect(buf.toString('latin1', 3, end), String(t)).toBe(new Date(t).toISOString());
    }
  });

  it('throws for a time Date cannot represent, as toISOString does', () => {
    expect(() => isoTime(Number.NaN)).toThrow(RangeError);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoFromEpochMs } from './iso-time.ts';

describe('isoFromEpochMs', () => {
  it('writes what Date#toISOString writes', () => {
    for (const ms of [0, 1, 999, 1_748_880_000_000, 1_748_880_059_999, -1, -86_400_001, 253_402_300_799_999, -62_167_219_200_000]) {
      expect(isoFromEpochMs(ms)).toBe(new Date(ms).toISOString());
    }
    fc.assert(fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (ms) => isoFromEpochMs(ms) === new Date(ms).toISOString()));
  });

  it('drops sub-millisecond digits like Date does', () => {
    expect(isoFromEpochMs(1_748_880_000_123.9)).toBe('2025-06-02T16:00:00.123Z');
  });
});

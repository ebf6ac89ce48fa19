// Unit tests of the ProjectX timestamp parser: fractional digits, offsets, rounding, rejection.
import { describe, expect, it } from 'vitest';
import { isoWithMicros } from '@barstream/core';
import { parseProjectXTimestamp } from './projectx-timestamp.ts';

const BASE = Date.UTC(2025, 4, 7, 14, 30, 1);

describe('parseProjectXTimestamp', () => {
  it('keeps microseconds from a 7-digit .NET fraction, rounding the 7th digit', () => {
    expect(parseProjectXTimestamp('2025-05-07T14:30:01.1234567+00:00')).toBe(BASE + 123.457);
    expect(parseProjectXTimestamp('2025-05-07T14:30:01.1234564+00:00')).toBe(BASE + 123.456);
  });

  it('reads 0 to 6 fractional digits and Z', () => {
    expect(parseProjectXTimestamp('2025-05-07T14:30:01Z')).toBe(BASE);
    expect(parseProjectXTimestamp('2025-05-07T14:30:01.5Z')).toBe(BASE + 500);
    expect(parseProjectXTimestamp('2025-05-07T14:30:01.000001+00:00')).toBe(BASE + 0.001);
    expect(parseProjectXTimestamp('2025-05-07T14:30:01.123+00:00')).toBe(BASE + 123);
  });

  it('applies the offset', () => {
    expect(parseProjectXTimestamp('2025-05-07T09:30:01.25-05:00')).toBe(BASE + 250);
    expect(parseProjectXTimestamp('2025-05-07T16:00:01+0130')).toBe(BASE);
  });

  it('carries a fraction that rounds up to a whole second', () => {
    expect(parseProjectXTimestamp('2025-05-07T14:30:00.9999996Z')).toBe(BASE);
  });

  it('round-trips with isoWithMicros', () => {
    const ms = BASE + 42.017;
    expect(parseProjectXTimestamp(isoWithMicros(ms))).toBe(ms);
  });

  it.each([
    '2025-05-07T14:30:01', // no offset: ambiguous
    '2025-05-07 14:30:01Z',
    '2025-04-31T10:00:00Z', // no 31 April
    '2025-05-07T24:00:00Z',
    '2025-05-07T14:30:01.1234567+25:00',
    'yesterday',
    '',
  ])('rejects %j', (text) => {
    expect(parseProjectXTimestamp(text)).toBeUndefined();
  });
});

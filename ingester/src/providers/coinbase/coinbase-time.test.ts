import { describe, expect, it } from 'vitest';
import { rfc3339ToEpochMs } from './coinbase-time.ts';

describe('rfc3339ToEpochMs', () => {
  it('keeps microseconds and drops the nanoseconds Coinbase adds', () => {
    expect(rfc3339ToEpochMs('2023-06-23T20:31:26.122969572Z')).toBe(Date.UTC(2023, 5, 23, 20, 31, 26) + 122.969);
    expect(rfc3339ToEpochMs('2024-01-01T00:00:00Z')).toBe(Date.UTC(2024, 0, 1));
    expect(rfc3339ToEpochMs('2024-01-01T01:00:00.5+01:00')).toBe(Date.UTC(2024, 0, 1) + 500);
  });

  it('refuses what is not RFC 3339', () => {
    expect(rfc3339ToEpochMs('2024-01-01 00:00:00')).toBeUndefined();
    expect(rfc3339ToEpochMs('yesterday')).toBeUndefined();
    expect(rfc3339ToEpochMs('2024-13-45T00:00:00Z')).toBeUndefined();
  });
});

describe('rfc3339ToEpochMs, the venue’s UTC form read by hand', () => {
  it('agrees with the general parse on every fraction length', () => {
    const base = Date.UTC(2026, 0, 5, 14, 30, 7);
    const cases: [string, number][] = [
      ['2026-01-05T14:30:07Z', base],
      ['2026-01-05T14:30:07.1Z', base + 100],
      ['2026-01-05T14:30:07.12Z', base + 120],
      ['2026-01-05T14:30:07.183Z', base + 183],
      ['2026-01-05T14:30:07.1834Z', base + 183.4],
      ['2026-01-05T14:30:07.183456Z', base + 183.456],
      ['2026-01-05T14:30:07.183456789Z', base + 183.456],
    ];
    for (const [text, ms] of cases) expect([text, rfc3339ToEpochMs(text)]).toEqual([text, ms]);
  });

  it('refuses broken fractions and seconds, also when the second was seen just before', () => {
    expect(rfc3339ToEpochMs('2026-01-05T14:30:07.183Z')).toBeDefined();
    for (const bad of [
      '2026-01-05T14:30:07.Z',
      '2026-01-05T14:30:07.1x3Z',
      '2026-01-05T14:30:07.1234567890Z',
      '2026-01-05T14:3a:07Z',
      '2026-13-05T14:30:07Z',
    ])
      expect([bad, rfc3339ToEpochMs(bad)]).toEqual([bad, undefined]);
  });
});

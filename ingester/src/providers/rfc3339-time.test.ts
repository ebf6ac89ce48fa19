import { describe, expect, it } from 'vitest';
import { parseRfc3339 } from './rfc3339-time.ts';

describe('parseRfc3339', () => {
  it('keeps nanosecond stamps to the microsecond, without float artefacts in the whole milliseconds', () => {
    const base = Date.UTC(2021, 1, 22, 15, 51, 45);
    expect(parseRfc3339('2021-02-22T15:51:45.335689322Z')).toBe(base + 335.689);
    expect(parseRfc3339('2021-02-22T15:51:45Z')).toBe(base);
    expect(parseRfc3339('2021-02-22T15:51:45.1Z')).toBe(base + 100);
  });

  it('applies an offset', () => {
    expect(parseRfc3339('2024-03-05T09:30:00-05:00')).toBe(Date.UTC(2024, 2, 5, 14, 30));
    expect(parseRfc3339('2024-03-05T15:30:00.5+01:00')).toBe(Date.UTC(2024, 2, 5, 14, 30) + 500);
  });

  it('refuses what is not an RFC-3339 date-time or not a real date', () => {
    for (const text of [
      '',
      'yesterday',
      '2024-03-05',
      '2024-03-05 14:30:00Z',
      '2024-02-30T10:00:00Z',
      '2024-13-01T00:00:00Z',
      '2024-03-05T24:00:00Z',
      '2024-03-05T10:00:00.1234567890Z',
    ]) {
      expect(parseRfc3339(text), text).toBeUndefined();
    }
  });

  it('keeps microseconds and drops the nanoseconds Coinbase adds', () => {
    expect(parseRfc3339('2023-06-23T20:31:26.122969572Z')).toBe(Date.UTC(2023, 5, 23, 20, 31, 26) + 122.969);
    expect(parseRfc3339('2024-01-01T00:00:00Z')).toBe(Date.UTC(2024, 0, 1));
    expect(parseRfc3339('2024-01-01T01:00:00.5+01:00')).toBe(Date.UTC(2024, 0, 1) + 500);
  });

  it('reads the venues’ UTC form by hand as the general parse does, on every fraction length', () => {
    const base = Date.UTC(2026, 0, 5, 14, 30, 7);
    const cases: [string, number][] = [
      ['2026-01-05T14:30:07Z', base],
      ['2026-01-05T14:30:07.1Z', base + 100],
      ['2026-01-05T14:30:07.12Z', base + 120],
      ['2026-01-05T14:30:07.183Z', base + 183],
      ['2026-01-05T14:30:07.1834Z', base + 183.4],
      ['2026-01-05T14:30:07.183456Z', base + 183.456],
      ['2026-01-05T14:30:07.183456789Z', base + 183.456],
      ['2026-01-05T14:30:07.183456789+00:00', base + 183.456],
    ];
    for (const [text, ms] of cases) expect([text, parseRfc3339(text)]).toEqual([text, ms]);
  });

  it('refuses broken fractions, seconds and dates, also when the minute was seen just before', () => {
    expect(parseRfc3339('2026-01-05T14:30:07.183Z')).toBeDefined();
    for (const bad of [
      '2026-01-05T14:30:07.Z',
      '2026-01-05T14:30:07.1x3Z',
      '2026-01-05T14:30:07.1234567890Z',
      '2026-01-05T14:3a:07Z',
      '2026-13-05T14:30:07Z',
      '2024-13-45T00:00:00Z',
      '2024-01-01 00:00:00',
      // Date.parse takes these (Coinbase's reader did): not a day the month has, not an hour.
      '2024-04-31T00:00:00Z',
      '2023-02-29T00:00:00Z',
      '2024-01-01T24:00:00Z',
    ])
      expect([bad, parseRfc3339(bad)]).toEqual([bad, undefined]);
  });
});

import { describe, expect, it } from 'vitest';
import { formatAlpacaTime, parseAlpacaTime } from './alpaca-timestamp.ts';

describe('parseAlpacaTime', () => {
  it('keeps nanosecond stamps to the microsecond, without float artefacts in the whole milliseconds', () => {
    const base = Date.UTC(2021, 1, 22, 15, 51, 45);
    expect(parseAlpacaTime('2021-02-22T15:51:45.335689322Z')).toBe(base + 335.689);
    expect(parseAlpacaTime('2021-02-22T15:51:45Z')).toBe(base);
    expect(parseAlpacaTime('2021-02-22T15:51:45.1Z')).toBe(base + 100);
  });

  it('applies an offset', () => {
    expect(parseAlpacaTime('2024-03-05T09:30:00-05:00')).toBe(Date.UTC(2024, 2, 5, 14, 30));
    expect(parseAlpacaTime('2024-03-05T15:30:00.5+01:00')).toBe(Date.UTC(2024, 2, 5, 14, 30) + 500);
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
      expect(parseAlpacaTime(text), text).toBeUndefined();
    }
  });

  it('formats whole milliseconds for REST start/end', () => {
    expect(formatAlpacaTime(Date.UTC(2024, 2, 5, 14, 30) + 999.9)).toBe('2024-03-05T14:30:00.999Z');
  });
});

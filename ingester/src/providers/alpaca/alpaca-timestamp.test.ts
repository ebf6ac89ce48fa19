import { describe, expect, it } from 'vitest';
import { formatAlpacaTime } from './alpaca-timestamp.ts';

describe('formatAlpacaTime', () => {
  it('formats whole milliseconds for REST start/end', () => {
    expect(formatAlpacaTime(Date.UTC(2024, 2, 5, 14, 30) + 999.9)).toBe('2024-03-05T14:30:00.999Z');
  });
});

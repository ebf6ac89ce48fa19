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

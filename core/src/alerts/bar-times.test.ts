import { describe, expect, it } from 'vitest';
import { BarTimes } from './bar-times.ts';
import { MAX_WITHIN_BARS } from './rule-schema.ts';

describe('BarTimes', () => {
  it('counts the bars after a time, exactly up to the kept window', () => {
    const times = new BarTimes();
    expect(times.barsSince(0)).toBe(Infinity); // no bars: age unknown
    for (let i = 0; i < 10; i++) times.push(i * 10);
    expect([times.barsSince(90), times.barsSince(85), times.barsSince(0), times.barsSince(-5), times.barsSince(200)]).toEqual([
      0, 1, 9, 10, 0,
    ]);
    for (let i = 10; i < 3 * MAX_WITHIN_BARS; i++) times.push(i * 10);
    const last = (3 * MAX_WITHIN_BARS - 1) * 10;
    expect(times.barsSince(last - MAX_WITHIN_BARS * 10)).toBe(MAX_WITHIN_BARS);
    expect(times.barsSince(0)).toBe(Infinity); // older than the kept times
    expect(times.latest).toBe(last);
    expect(times.count).toBe(3 * MAX_WITHIN_BARS);
  });
});

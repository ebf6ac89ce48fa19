import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRfc3339, readUtcSeconds } from './rfc3339-time.ts';
import { UtcTimeBytes } from './utc-time-bytes.ts';

const digits = (min: number, max: number) =>
  fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((d) => d.join(''));
/** The venues' form, and times a character away from it (another second, month, day, separator, zone). */
const timeText = fc.oneof(
  fc
    .tuple(fc.integer({ min: 0, max: 4_102_444_799 }), digits(0, 9))
    .map(([s, f]) => `${new Date(s * 1000).toISOString().slice(0, 19)}${f ? `.${f}` : ''}Z`),
  fc
    .tuple(fc.integer({ min: 0, max: 4_102_444_799 }), fc.nat(), fc.constantFrom('6', '9', 'x', ' ', '+', '.', 'Z', 'é'))
    .map(([s, at, c]) => {
      const text = `${new Date(s * 1000).toISOString().slice(0, 19)}.123456789Z`;
      const k = at % text.length;
      return text.slice(0, k) + c + text.slice(k + 1);
    }),
  fc.constantFrom('2024-02-30T00:00:00Z', '2023-02-29T00:00:00Z', '2024-01-01T00:00:60Z', '2024-01-01T24:00:00Z', '2024-13-01T00:00:00Z'),
);

describe('UtcTimeBytes', () => {
  it('reads a time in the venues’ form as the text reader does, or leaves it to that reader', () => {
    const bytes = new UtcTimeBytes(readUtcSeconds);
    let read = 0;
    fc.assert(
      fc.property(timeText, fc.nat({ max: 3 }), (time, pad) => {
        // Within a frame: the time's bytes between others.
        const frame = Buffer.from(`${'"'.repeat(pad)}${time}"`);
        const ms = bytes.at(frame, pad, pad + Buffer.byteLength(time));
        if (!Number.isNaN(ms)) {
          read++;
          expect(ms).toBe(parseRfc3339(time));
        }
      }),
      { seed: 53, numRuns: 3_000 },
    );
    expect(read).toBeGreaterThan(1_000);
  });

  it('reads every valid time in the form, to the microsecond', () => {
    const times = new UtcTimeBytes(readUtcSeconds);
    expect(times.at(Buffer.from('2024-01-01T00:00:00.123456789Z'), 0, 30)).toBe(Date.UTC(2024, 0, 1) + 123.456);
    expect(times.at(Buffer.from('2024-01-01T00:01:59Z'), 0, 20)).toBe(Date.UTC(2024, 0, 1, 0, 1, 59));
    expect(times.at(Buffer.from('2024-01-01T00:01:59.5Z'), 0, 22)).toBe(Date.UTC(2024, 0, 1, 0, 1, 59, 500));
    expect(times.at(Buffer.from('2024-01-01T00:01:59.5X'), 0, 22)).toBeNaN();
    expect(times.at(Buffer.from('2024-01-01T00:01:59.Z'), 0, 21)).toBeNaN();
    expect(times.at(Buffer.from('2024-01-01T00:00:00+01:00'), 0, 25)).toBeNaN();
  });
});

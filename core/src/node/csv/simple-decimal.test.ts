import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simpleDecimal } from './simple-decimal.ts';

const whole = (s: string): number => simpleDecimal(s, 0, s.length);

describe('simpleDecimal', () => {
  it('reads a plain decimal in place, and leaves everything else (NaN) to Number()', () => {
    expect(simpleDecimal('x,30001.75,y', 2, 10)).toBe(30001.75);
    expect([whole('0'), whole('0.125'), whole('.5'), whole('7.'), whole('000123.4500')]).toEqual([0, 0.125, 0.5, 7, 123.45]);
    for (const other of ['', '.', '-1', '+1', ' 1', '1 ', '1e5', '0x10', '1.2.3', 'Infinity', '1234567890123456', '0.30000000000000004']) {
      expect(whole(other), other).toBeNaN();
    }
  });

  it('gives the very double Number() gives for any plain decimal of up to 15 digits, and no other', () => {
    // Up to 18 digits drawn: past 15 a mantissa built digit by digit is no longer exact, so must be left alone.
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 18, size: 'max' }),
        fc.nat({ max: 18 }),
        (digits, dot) => {
          for (const text of [digits, `${digits.slice(0, dot)}.${digits.slice(dot)}`]) {
            const value = whole(text);
            if (digits.length <= 15) expect(value).toBe(Number(text));
            else expect(value).toBeNaN();
          }
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('never disagrees with Number() on text made of digits, dots, signs, exponents and spaces', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789.+-e '), maxLength: 20, size: 'max' }), (text) => {
        const value = whole(text);
        if (!Number.isNaN(value)) expect(value).toBe(Number(text));
      }),
      { numRuns: 5_000 },
    );
  });
});

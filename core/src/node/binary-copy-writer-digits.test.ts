// BinaryCopyWriter.decimalDigits against String(n) over the whole safe-integer range: the text PostgreSQL
// stores for a numbered trade id must be byte for byte the text the id stood for.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BinaryCopyWriter } from './binary-copy-writer.ts';
import { COPY_BINARY_HEADER_BYTES } from './pg-binary-format.ts';

/** Fixed seed: a failure is the same failure on every run (fast-check prints the seed and the path). */
const SEED = 20261207;

/** The COPY bytes of one row per value, each a single text field: `text(String(n))` or `decimalDigits(n)`. */
function rows(values: readonly number[], write: (w: BinaryCopyWriter, n: number) => void, chunkBytes?: number): Buffer {
  const w = new BinaryCopyWriter(chunkBytes);
  for (const n of values) write(w.row(1), n);
  return Buffer.concat(w.finish());
}
const asText = (w: BinaryCopyWriter, n: number): void => void w.text(String(n));
const asDigits = (w: BinaryCopyWriter, n: number): void => void w.decimalDigits(n);

// The edges: one digit, every power of ten and the number before it (the low part's leading zeros above 10^8),
// and the top of the range.
const EDGES = [
  0,
  1,
  9,
  ...Array.from({ length: 15 }, (_, k) => [10 ** (k + 1) - 1, 10 ** (k + 1), 10 ** (k + 1) + 1]).flat(),
  1e8 * 12345678 + 9,
  Number.MAX_SAFE_INTEGER - 1,
  Number.MAX_SAFE_INTEGER,
];

describe('BinaryCopyWriter.decimalDigits', () => {
  it('writes the bytes text(String(n)) writes, for 0, 2^53 - 1 and every power of ten', () => {
    expect(EDGES).toContain(Number.MAX_SAFE_INTEGER);
    expect(rows(EDGES, asDigits).equals(rows(EDGES, asText))).toBe(true);
    // One field for a sanity check of the layout: length 16, then the 16 digits of 2^53 - 1.
    const one = rows([Number.MAX_SAFE_INTEGER], asDigits);
    expect(one.readInt32BE(COPY_BINARY_HEADER_BYTES + 2)).toBe(16);
    expect(one.subarray(COPY_BINARY_HEADER_BYTES + 6, COPY_BINARY_HEADER_BYTES + 22).toString('latin1')).toBe('9007199254740991');
  });

  it('writes the bytes of String(n) for any whole n from 0 to 2^53 - 1, across chunk boundaries', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.maxSafeNat(), fc.nat(), fc.integer({ min: 0, max: 999 })), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 24, max: 200 }),
        (values, chunkBytes) => {
          expect(rows(values, asDigits, chunkBytes).equals(rows(values, asText, chunkBytes))).toBe(true);
        },
      ),
      { seed: SEED, numRuns: 2_000 },
    );
  });

  it('refuses what has no digits of its own, naming the value', () => {
    for (const bad of [-1, 1.5, Number.MAX_SAFE_INTEGER + 1, NaN, Infinity]) {
      expect(() => new BinaryCopyWriter().decimalDigits(bad)).toThrow(`decimalDigits: ${bad} is not a whole number`);
    }
  });
});

import { COPY_BINARY_HEADER_BYTES } from '@barstream/core/node';
import { formatMoney } from '@barstream/core/trading';
import { describe, expect, it } from 'vitest';
import { BinaryRows } from './binary-rows.ts';

/** The text fields of one row written by `write`, decoded back (null for NULL). */
function texts(values: (string | null)[]): (string | null)[] {
  const rows = new BinaryRows(32); // small: the rows must grow the buffer
  rows.row(values.length);
  for (const v of values) rows.text(v);
  const buf = rows.finish();
  let at = COPY_BINARY_HEADER_BYTES;
  expect(buf.readInt16BE(at)).toBe(values.length);
  at += 2;
  const out: (string | null)[] = [];
  for (let i = 0; i < values.length; i++) {
    const n = buf.readInt32BE(at);
    at += 4;
    out.push(n < 0 ? null : buf.toString('utf8', at, at + n));
    at += Math.max(n, 0);
  }
  expect(buf.readInt16BE(at)).toBe(-1); // the trailer
  return out;
}

describe('BinaryRows.text', () => {
  it('writes short ASCII, non-ASCII (UTF-8, also after ASCII), long texts and NULL', () => {
    const values = ['r12:1577836860000:buy:entry', 'filled', '', 'stop ünder €5', 'a'.repeat(200), null, `x${'é'.repeat(70)}`, '\ttab'];
    expect(texts(values)).toEqual(values);
  });
});

/** A numeric field written by BinaryRows.money, read back as PostgreSQL would (digits × 10000^weight). */
function moneyText(units: number): string {
  const rows = new BinaryRows(32);
  rows.row(1);
  rows.money(units);
  const buf = rows.finish();
  let at = COPY_BINARY_HEADER_BYTES + 2;
  const length = buf.readInt32BE(at);
  const [ndigits, weight, sign, dscale] = [
    buf.readInt16BE(at + 4),
    buf.readInt16BE(at + 6),
    buf.readUInt16BE(at + 8),
    buf.readInt16BE(at + 10),
  ];
  expect(length).toBe(8 + 2 * ndigits);
  expect(dscale).toBe(8);
  at += 12;
  let value = 0n; // in units of 10^-8: digit i counts 10000^(weight - i) = 10^(4 (weight - i) + 8) units
  for (let i = 0; i < ndigits; i++, at += 2) value += BigInt(buf.readInt16BE(at)) * 10n ** BigInt(4 * (weight - i) + 8);
  return formatMoney(Number(sign === 0x4000 ? -value : value));
}

describe('BinaryRows.money', () => {
  it('writes whole units of 10^-8 as numeric digits, signs and the largest safe amount included', () => {
    for (const units of [
      0,
      1,
      -1,
      62_000_000,
      -12_345_678_901_234,
      99_999_999,
      100_000_000,
      Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER,
    ]) {
      expect(moneyText(units)).toBe(formatMoney(units));
    }
    expect(() => new BinaryRows().money(0.5)).toThrow(/not a safe whole number/);
  });
});

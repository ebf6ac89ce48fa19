import { COPY_BINARY_HEADER_BYTES } from '@barstream/core/node';
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

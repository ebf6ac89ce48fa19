// PostgreSQL COPY formats: escaping for text-format rows, and a parser for binary-format output
// of float8 columns (the fastest way to read many numeric rows into Node).
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';

/** A text field for COPY … FROM STDIN (text format): backslash, tab, newline, CR escaped. */
export function copyText(value: string): string {
  return /[\\\t\n\r]/.test(value) ? value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : value;
}

const BINARY_HEADER_BYTES = 19; // 11-byte signature, 4-byte flags, 4-byte extension length

/** Runs `COPY (query) TO STDOUT (FORMAT binary)` where every column is float8 (non-null), and
 * returns the rows as arrays of numbers. */
export async function copyFloatRows(client: pg.ClientBase, query: string): Promise<Float64Array[]> {
  const chunks: Buffer[] = [];
  await pipeline(client.query(copyTo(`COPY (${query}) TO STDOUT (FORMAT binary)`)),
    new Writable({ write(chunk: Buffer, _enc, done) { chunks.push(chunk); done(); } }));
  const buf = Buffer.concat(chunks);
  const rows: Float64Array[] = [];
  let offset = BINARY_HEADER_BYTES;
  while (offset + 2 <= buf.length) {
    const fields = buf.readInt16BE(offset);
    offset += 2;
    if (fields < 0) break; // trailer
    const row = new Float64Array(fields);
    for (let f = 0; f < fields; f++) {
      const length = buf.readInt32BE(offset);
      offset += 4;
      if (length !== 8) throw new Error(`copyFloatRows: column ${f} is not a non-null float8`);
      row[f] = buf.readDoubleBE(offset);
      offset += 8;
    }
    rows.push(row);
  }
  return rows;
}

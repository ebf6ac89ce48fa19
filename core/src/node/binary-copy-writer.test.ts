import { describe, expect, it } from 'vitest';
import { BinaryCopyWriter } from './binary-copy-writer.ts';
import { COPY_BINARY_HEADER_BYTES, COPY_BINARY_SIGNATURE, PG_EPOCH_MS } from './pg-binary-format.ts';

/** The binary COPY format written field by field with Buffer's own methods: what PostgreSQL expects. */
function reference(rows: readonly (readonly Field[])[]): Buffer {
  const parts: Buffer[] = [COPY_BINARY_SIGNATURE, Buffer.alloc(8)];
  const int32 = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    return b;
  };
  for (const row of rows) {
    const count = Buffer.alloc(2);
    count.writeInt16BE(row.length);
    parts.push(count);
    for (const f of row) {
      if (f.kind === 'text' || f.kind === 'jsonb') {
        const bytes = Buffer.from(f.value, 'utf8');
        const version = f.kind === 'jsonb' ? Buffer.from([1]) : Buffer.alloc(0);
        parts.push(int32(bytes.length + version.length), version, bytes);
      } else if (f.kind === 'float8') {
        if (!Number.isFinite(f.value)) parts.push(int32(-1));
        else {
          const b = Buffer.alloc(8);
          b.writeDoubleBE(f.value);
          parts.push(int32(8), b);
        }
      } else {
        const b = Buffer.alloc(8);
        b.writeBigInt64BE(BigInt(Math.round((f.value - PG_EPOCH_MS) * 1000)));
        parts.push(int32(8), b);
      }
    }
  }
  parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}

type Field =
  | { kind: 'text'; value: string }
  | { kind: 'jsonb'; value: string }
  | { kind: 'float8'; value: number }
  | { kind: 'timestamptz'; value: number };

function written(rows: readonly (readonly Field[])[], chunkBytes?: number): Buffer {
  const w = new BinaryCopyWriter(chunkBytes);
  for (const row of rows) {
    w.row(row.length);
    for (const f of row) {
      if (f.kind === 'text') w.text(f.value);
      else if (f.kind === 'jsonb') w.jsonb(f.value);
      else if (f.kind === 'float8') w.float8(f.value);
      else w.timestamptz(f.value);
    }
  }
  return Buffer.concat(w.finish());
}

const rows: Field[][] = [
  [
    { kind: 'text', value: 'cus_cds_trend_finder' },
    { kind: 'text', value: '' },
    { kind: 'timestamptz', value: Date.parse('2026-03-02T14:31:00Z') },
    { kind: 'float8', value: 5123.25 },
    { kind: 'float8', value: NaN },
    { kind: 'float8', value: -Infinity },
    { kind: 'jsonb', value: '{"rule":"cus","trigger_time":"2026-03-02T14:31:00.000Z"}' },
  ],
  [
    // non-ASCII short text, long ASCII text, astral characters: the UTF-8 path
    { kind: 'text', value: 'Müller € 📈' },
    { kind: 'text', value: 'x'.repeat(500) },
    { kind: 'jsonb', value: JSON.stringify({ note: 'été', long: 'y'.repeat(200) }) },
    // before 2000 (a negative count), a fraction of a millisecond, far outside the exact range
    { kind: 'timestamptz', value: Date.parse('1969-07-20T20:17:40Z') },
    { kind: 'timestamptz', value: 1_700_000_000_123.25 },
    { kind: 'timestamptz', value: 8.64e15 },
    { kind: 'float8', value: -0 },
    { kind: 'float8', value: Number.MIN_VALUE },
  ],
];

describe('BinaryCopyWriter', () => {
  it('writes exactly the bytes of the binary COPY format', () => {
    expect(written(rows).equals(reference(rows))).toBe(true);
    expect(written([]).length).toBe(COPY_BINARY_HEADER_BYTES + 2);
  });

  it('writes the same bytes when rows straddle chunk boundaries', () => {
    const many = Array.from({ length: 300 }, (_, i) => rows[i % rows.length] as Field[]);
    const expected = reference(many);
    for (const chunkBytes of [64, 257, 4096]) expect(written(many, chunkBytes).equals(expected)).toBe(true);
  });

  it('writes a jsonb from UTF-8 bytes as it writes one from the same text, across chunk boundaries', () => {
    const texts = [
      '{}',
      '{"rule":"cus","trigger_time":"2026-03-02T14:31:00.000Z"}',
      JSON.stringify({ note: 'été 📈', long: 'y'.repeat(300) }),
    ];
    const bytes = Buffer.concat([Buffer.from('xx'), ...texts.map((t) => Buffer.from(t, 'utf8')), Buffer.from('yy')]);
    for (const chunkBytes of [24, 64, 4096]) {
      const fromText = new BinaryCopyWriter(chunkBytes);
      const fromBytes = new BinaryCopyWriter(chunkBytes);
      let start = 2;
      for (let i = 0; i < 40; i++) {
        const text = texts[i % texts.length] as string;
        const end = start + Buffer.byteLength(text);
        fromText.row(2).text('a').jsonb(text);
        fromBytes.row(2).text('a').jsonbUtf8(bytes, start, end);
        start = i % texts.length === texts.length - 1 ? 2 : end;
      }
      expect(Buffer.concat(fromBytes.finish()).equals(Buffer.concat(fromText.finish()))).toBe(true);
    }
  });

  it('writes int2, int4, bool and NULL fields as PostgreSQL reads them', () => {
    const w = new BinaryCopyWriter(24); // small chunks (the 19-byte header fits): fields start new ones
    w.row(5).int2(-2).int4(70_000).bool(true).bool(false).null();
    const field = (length: number, ...bytes: number[]): Buffer => Buffer.from([...int32Bytes(length), ...bytes]);
    const expected = Buffer.concat([
      COPY_BINARY_SIGNATURE,
      Buffer.alloc(8),
      Buffer.from([0, 5]),
      field(2, 0xff, 0xfe),
      field(4, 0x00, 0x01, 0x11, 0x70),
      field(1, 1),
      field(1, 0),
      Buffer.from(int32Bytes(-1)),
      Buffer.from([0xff, 0xff]),
    ]);
    expect(Buffer.concat(w.finish()).equals(expected)).toBe(true);
    expect(() => new BinaryCopyWriter().int2(40_000)).toThrow(RangeError);
  });
});

function int32Bytes(n: number): number[] {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return [...b];
}

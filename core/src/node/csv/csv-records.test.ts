import { describe, expect, it } from 'vitest';
import { readCsvRecords } from './csv-records.ts';
import { formatCsvRecords } from './csv-write.ts';

describe('readCsvRecords (the general path)', () => {
  it('reads quoted fields holding commas, doubled quotes and line breaks, numbering each record by its first line', () => {
    const text = 'a,b\n"x, y","say ""hi"""\n"two\nlines",z\nlast,"\r\n"\n';
    expect(readCsvRecords(text)).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"'] },
      { line: 3, fields: ['two\nlines', 'z'] },
      { line: 5, fields: ['last', '\r\n'] },
    ]);
  });

  it('takes CRLF and LF records, drops a BOM, and keeps blank lines as one empty field (the layouts skip them)', () => {
    expect(readCsvRecords('\uFEFFa,b\r\n\r\n"c\r\nd",e\r\nf,g')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: [''] },
      { line: 3, fields: ['c\r\nd', 'e'] },
      { line: 5, fields: ['f', 'g'] },
    ]);
  });

  it('names a record it cannot read by its line, and reads on after it', () => {
    const records = readCsvRecords('a,b\nx,y"z\nc,d\n"open,e\n');
    expect(records[0]).toEqual({ line: 1, fields: ['a', 'b'] });
    expect(records[1]).toEqual({ line: 2, problem: expect.stringMatching(/^Invalid Opening Quote/) as unknown });
    expect(records[2]).toEqual({ line: 3, fields: ['c', 'd'] });
    expect(records[3]).toEqual({ line: 4, problem: expect.stringMatching(/^Quote Not Closed/) as unknown });
    expect(records[3]?.problem).not.toMatch(/at line/);
  });

  it('writes what it reads back: quoting only fields that need it', () => {
    const rows = [
      ['plain', 'with, comma', 'with "quote"', 'two\nlines', ''],
      ['1.5', '', ' spaced ', 'x', 'y'],
    ];
    const text = formatCsvRecords(rows);
    expect(text.split('\n')[0]).toBe('plain,"with, comma","with ""quote""","two');
    expect(readCsvRecords(text).map((r) => r.fields)).toEqual(rows);
    expect(formatCsvRecords([[1.5, null, 0.30000000000000004]])).toBe('1.5,,0.30000000000000004\n');
  });
});

// The general CSV path: RFC 4180 text (quoted fields holding commas, quotes and line breaks; CRLF or
// LF; a UTF-8 BOM) read by csv-parse into records, each with the line it starts on. The layouts' hand
// split fast paths (bar-csv.ts, kline-csv.ts) send a file here when it has what they do not read.
import { type CsvError, parse } from 'csv-parse/sync';

/** A row that could not be read or stored, by its (1-based) line in the file. */
export interface CsvRowError {
  readonly line: number;
  readonly reason: string;
}

/** One record: its fields, or why csv-parse could not read it (an unclosed or stray quote). */
export type CsvRecord =
  | { readonly line: number; readonly fields: string[]; readonly problem?: undefined }
  | { readonly line: number; readonly fields?: undefined; readonly problem: string };

/** Which reader a layout uses: its hand split (no quotes), csv-parse (anything RFC 4180), or chosen from the text. */
export type CsvPath = 'fast' | 'general' | 'auto';

const BYTE_ORDER_MARK = 0xfeff;
const QUOTE = '"';

/** The text without a leading UTF-8 byte order mark (Excel writes one). */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === BYTE_ORDER_MARK ? text.slice(1) : text;
}

/** True when the text has what splitting lines at commas would misread: a quote. */
export function needsGeneralPath(text: string): boolean {
  return text.includes(QUOTE);
}

/** True for a record of one blank field: a blank line, which every layout skips. */
export function isBlankRecord(fields: readonly string[]): boolean {
  return fields.length === 1 && (fields[0] as string).trim() === '';
}

/**
 * Every record of the text in file order, blank lines included (as one empty field), so the first
 * record is line 1 like the fast paths' header. A record csv-parse cannot read is returned as its
 * problem and the parse goes on after it; the fields are the raw text between the separators.
 */
export function readCsvRecords(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  // Lines are counted here, not taken from csv-parse's info.lines, which counts a CRLF inside quotes
  // twice: a record takes one line plus one per line break inside its fields.
  let next = 1;
  /** info.lines minus our count, to place an unreadable record from its error's line. */
  let drift = 0;
  parse(withoutBom(text), {
    // CRLF and LF like the fast paths; a lone CR stays in its field.
    record_delimiter: ['\r\n', '\n'],
    relax_column_count: true,
    skip_records_with_error: true,
    on_record: (fields: string[], info) => {
      records.push({ line: next, fields });
      next += 1 + lineBreaksIn(fields);
      drift = info.lines - (next - 1);
      return null;
    },
    on_skip: (err: CsvError | undefined) => {
      if (!err) return;
      // Its own 'at line N' is left out: ours (the record's first line) is the one reported.
      records.push({ line: next, problem: err.message.replace(/ at line \d+/g, '').replace(/\.$/, '') });
      if (typeof err.lines === 'number') next = Math.max(next + 1, err.lines - drift + 1);
    },
  });
  return records;
}

function lineBreaksIn(fields: readonly string[]): number {
  let count = 0;
  for (const f of fields) for (let at = f.indexOf('\n'); at !== -1; at = f.indexOf('\n', at + 1)) count++;
  return count;
}

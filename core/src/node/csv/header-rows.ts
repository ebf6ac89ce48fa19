// A CSV file whose first record names its columns, read as one item per data record in file order: the
// record's values keyed by column name, or why it can't be read (a broken record, a wrong field count).
// The checks every header-keyed reader shares; each reader then validates the values with its own schema.
import { type CsvRowError, isBlankRecord, readCsvRecords } from './csv-records.ts';

export type HeaderRow = { readonly line: number; readonly values: Record<string, string | undefined> } | CsvRowError;

/** Items for the data records (blank ones skipped), or one error on line 1 when `required` columns are missing. */
export function readHeaderRows(csv: string, columns: readonly string[], required: readonly string[] = columns): HeaderRow[] {
  const records = readCsvRecords(csv);
  const header = (records[0]?.fields ?? []).map((h) => h.trim().toLowerCase());
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length > 0) return [{ line: 1, reason: `header lacks column(s) ${missing.join(', ')}` }];
  const present = columns.filter((c) => header.includes(c));
  const out: HeaderRow[] = [];
  for (const record of records.slice(1)) {
    if (record.problem !== undefined) out.push({ line: record.line, reason: record.problem });
    else if (isBlankRecord(record.fields)) continue;
    else if (record.fields.length !== header.length)
      out.push({ line: record.line, reason: `expected ${header.length} fields, found ${record.fields.length}` });
    else out.push({ line: record.line, values: Object.fromEntries(present.map((c) => [c, record.fields[header.indexOf(c)]])) });
  }
  return out;
}

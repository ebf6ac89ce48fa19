// The CSV writer every layout uses: csv-stringify, which quotes a field holding a comma, a quote or a
// line break (doubling its quotes) as RFC 4180 asks; records end in LF, like PostgreSQL's COPY output
// that the bar export streams, and every reader here takes CRLF and LF alike.
import { stringify } from 'csv-stringify/sync';

/** A field's value: text as is, a number in its shortest exact form, null as an empty field. */
export type CsvValue = string | number | null;

/** The records as CSV text, each ending in a line break. */
export function formatCsvRecords(records: readonly (readonly CsvValue[])[]): string {
  return stringify(records.map((r) => [...r]));
}

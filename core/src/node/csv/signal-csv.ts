// Signal CSV (npm run export -- --signals): one detected_signals row per record, written by
// csv-write.ts (a field with a comma, quote or line break is quoted: the JSON details always are) and
// read back by the general path, columns found by header name. Times are UTC with milliseconds when a
// time has them: '2025-03-17 14:00:00+00:00', '2025-03-17 14:00:00.250+00:00'.
import { z } from 'zod';
import { parseTimestamp } from '../../strategies/mes-csv.ts';
import type { CsvRowError } from './csv-records.ts';
import { formatCsvRecords } from './csv-write.ts';
import { readHeaderRows } from './header-rows.ts';

export const SIGNAL_CSV_COLUMNS = [
  'signal_id',
  'analyzer_id',
  'contract_id',
  'timeframe',
  'timestamp',
  'trigger_timestamp',
  'signal_type',
  'signal_price',
  'signal_open',
  'signal_high',
  'signal_low',
  'signal_close',
  'signal_volume',
  'details',
] as const;

/** One detected_signals row as exported; times in epoch ms. */
export interface SignalCsvRow {
  readonly signalId: number;
  readonly analyzerId: string;
  readonly contractId: string;
  readonly timeframe: string;
  readonly time: number;
  readonly triggerTime: number;
  readonly signalType: string;
  readonly price: number | null;
  readonly open: number | null;
  readonly high: number | null;
  readonly low: number | null;
  readonly close: number | null;
  readonly volume: number | null;
  /** The JSON details column as parsed. */
  readonly details: unknown;
}

export interface ParsedSignalCsv {
  readonly rows: SignalCsvRow[];
  readonly errors: CsvRowError[];
}

/** The header line, with its line break. */
export function signalCsvHeader(): string {
  return formatCsvRecords([SIGNAL_CSV_COLUMNS]);
}

/** The rows as CSV records (no header), each ending in a line break. */
export function formatSignalCsvRows(rows: readonly SignalCsvRow[]): string {
  return formatCsvRecords(
    rows.map((r) => [
      r.signalId,
      r.analyzerId,
      r.contractId,
      r.timeframe,
      formatInstant(r.time),
      formatInstant(r.triggerTime),
      r.signalType,
      r.price,
      r.open,
      r.high,
      r.low,
      r.close,
      r.volume,
      JSON.stringify(r.details),
    ]),
  );
}

/** '2025-03-17 14:00:00+00:00', with '.250' before the offset when the time has milliseconds. */
export function formatInstant(ms: number): string {
  const iso = new Date(ms).toISOString();
  const fraction = iso.slice(19, 23);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction === '.000' ? '' : fraction}+00:00`;
}

const instant = z.string().transform((s, ctx) => {
  try {
    return parseTimestamp(s);
  } catch {
    ctx.addIssue({ code: 'custom', message: `'${s}' is not a date-time` });
    return z.NEVER;
  }
});
const optionalNumber = z
  .string()
  .trim()
  .transform((s, ctx) => {
    if (s === '') return null;
    const n = Number(s);
    if (!Number.isFinite(n)) ctx.addIssue({ code: 'custom', message: `'${s}' is not a number` });
    return n;
  });
const json = z.string().transform((s, ctx): unknown => {
  try {
    return JSON.parse(s);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'is not JSON' });
    return z.NEVER;
  }
});
const text = z.string().trim().min(1, 'is empty');
const rowSchema = z.object({
  signal_id: z.string().trim().regex(/^\d+$/, 'is not a whole number').transform(Number),
  analyzer_id: text,
  contract_id: text,
  timeframe: text,
  timestamp: instant,
  trigger_timestamp: instant,
  signal_type: text,
  signal_price: optionalNumber,
  signal_open: optionalNumber,
  signal_high: optionalNumber,
  signal_low: optionalNumber,
  signal_close: optionalNumber,
  signal_volume: optionalNumber,
  details: json,
});

/** Reads an exported signal file back: good rows in file order, bad ones by line with the column named. */
export function parseSignalCsv(csv: string): ParsedSignalCsv {
  const rows: SignalCsvRow[] = [];
  const errors: CsvRowError[] = [];
  for (const item of readHeaderRows(csv, SIGNAL_CSV_COLUMNS)) {
    if ('reason' in item) {
      errors.push(item);
      continue;
    }
    const record = item;
    const result = rowSchema.safeParse(record.values);
    if (!result.success) {
      errors.push({ line: record.line, reason: result.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ') });
      continue;
    }
    const r = result.data;
    rows.push({
      signalId: r.signal_id,
      analyzerId: r.analyzer_id,
      contractId: r.contract_id,
      timeframe: r.timeframe,
      time: r.timestamp,
      triggerTime: r.trigger_timestamp,
      signalType: r.signal_type,
      price: r.signal_price,
      open: r.signal_open,
      high: r.signal_high,
      low: r.signal_low,
      close: r.signal_close,
      volume: r.signal_volume,
      details: r.details,
    });
  }
  return { rows, errors };
}

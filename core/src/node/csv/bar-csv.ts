// Bar CSV in the origin's layout: `[id,]contract_id,timestamp,open,high,low,close,volume,
// timeframe_unit,timeframe_value`, columns found by header name in any order. Each bad row is reported
// with its line number and reason.
import { z } from 'zod';
import type { ContractBar } from '../../schemas/bar-message.ts';
import { parseTimestamp } from '../../strategies/mes-csv.ts';
import { isTimeframeUnit, type TimeframeUnit } from '../../timeframe.ts';
import {
  type CsvPath,
  type CsvRecord,
  type CsvRowError,
  isBlankRecord,
  needsGeneralPath,
  readCsvRecords,
  withoutBom,
} from './csv-records.ts';

export const BAR_CSV_COLUMNS = [
  'contract_id',
  'timestamp',
  'open',
  'high',
  'low',
  'close',
  'volume',
  'timeframe_unit',
  'timeframe_value',
] as const;

export interface ParsedBarCsv {
  readonly bars: ContractBar[];
  readonly errors: CsvRowError[];
}

/** One piece of a file read by BarCsvReader: its good rows with their line numbers, and its bad rows. */
export interface BarCsvPiece extends ParsedBarCsv {
  readonly lines: number[];
}

const MAX_CONTRACT_ID = 100;

const finite = (name: string) =>
  z
    .string()
    .trim()
    .min(1, `${name} is empty`)
    .transform((s, ctx) => {
      const n = Number(s);
      if (!Number.isFinite(n)) ctx.addIssue({ code: 'custom', message: `${name} '${s}' is not a number` });
      return n;
    });

const rowSchema = z
  .object({
    contract_id: z.string().trim().min(1, 'contract_id is empty').max(MAX_CONTRACT_ID),
    timestamp: z.string().transform((s, ctx) => {
      try {
        return parseTimestamp(s);
      } catch {
        ctx.addIssue({ code: 'custom', message: `timestamp '${s}' is not a date-time` });
        return NaN;
      }
    }),
    open: finite('open'),
    high: finite('high'),
    low: finite('low'),
    close: finite('close'),
    volume: finite('volume'),
    timeframe_unit: finite('timeframe_unit'),
    timeframe_value: finite('timeframe_value'),
  })
  .superRefine((r, ctx) => {
    if (!(r.open > 0 && r.high > 0 && r.low > 0 && r.close > 0)) ctx.addIssue({ code: 'custom', message: 'prices must be positive' });
    if (r.high < Math.max(r.open, r.close, r.low) || r.low > Math.min(r.open, r.close))
      ctx.addIssue({ code: 'custom', message: `high ${r.high} / low ${r.low} do not contain open ${r.open} and close ${r.close}` });
    if (r.volume < 0) ctx.addIssue({ code: 'custom', message: `volume ${r.volume} is negative` });
    if (!isTimeframeUnit(r.timeframe_unit)) ctx.addIssue({ code: 'custom', message: `timeframe_unit ${r.timeframe_unit} is not 1..6` });
    if (!(Number.isInteger(r.timeframe_value) && r.timeframe_value > 0))
      ctx.addIssue({ code: 'custom', message: `timeframe_value ${r.timeframe_value} is not a positive integer` });
  });

/** Parses the whole text; rows come back in file order (sort them if needed). */
export function parseBarCsv(text: string, path: CsvPath = 'auto'): ParsedBarCsv {
  const reader = new BarCsvReader(text, { path });
  const bars: ContractBar[] = [];
  const errors: CsvRowError[] = [];
  for (let piece = reader.next(Infinity); piece; piece = reader.next(Infinity)) {
    for (const b of piece.bars) bars.push(b);
    for (const e of piece.errors) errors.push(e);
  }
  return { bars, errors };
}

type Column = (typeof BAR_CSV_COLUMNS)[number];

/**
 * Reads the layout a piece at a time, so a caller can write the rows read while the rest is parsed.
 * The zod schema above is the definition of a good row. Running it on every row costs ~10 µs, so rows
 * are first checked by hand against the same rules; a row that fails the hand check goes to the
 * schema, whose verdict stands and whose messages are the ones reported. Lines are split at commas by
 * hand (the fast path) unless the text has a quote, which sends the file to csv-parse (the general path).
 */
export class BarCsvReader {
  private at = 0;
  private lineIndex = 1;
  private readonly text: string;
  private readonly records: CsvRecord[] | undefined;
  private readonly width: number;
  private readonly index: Record<Column, number>;
  private headerError: CsvRowError | undefined;

  /** `handChecks: false` sends every row to the schema, `path` forces a reader (tests compare them). */
  constructor(
    text: string,
    private readonly options: { handChecks?: boolean; path?: CsvPath } = {},
  ) {
    this.text = withoutBom(text);
    const general = options.path === 'general' || (options.path !== 'fast' && needsGeneralPath(this.text));
    let header: string[];
    let bodyStart: number;
    if (general) {
      this.records = readCsvRecords(this.text);
      header = this.records[0]?.fields ?? [];
      bodyStart = 1;
    } else {
      const newline = this.text.indexOf('\n');
      const first = newline === -1 ? this.text : this.text.slice(0, newline);
      header = (first.endsWith('\r') ? first.slice(0, -1) : first).split(',');
      bodyStart = newline === -1 ? this.text.length + 1 : newline + 1;
    }
    header = header.map((h) => h.trim().toLowerCase());
    this.width = header.length;
    this.index = Object.fromEntries(BAR_CSV_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<Column, number>;
    const missing = BAR_CSV_COLUMNS.filter((c) => !header.includes(c));
    if (missing.length > 0) {
      this.headerError = { line: 1, reason: `header lacks column(s) ${missing.join(', ')}` };
      this.at = this.records ? this.records.length : this.text.length + 1;
    } else {
      this.at = bodyStart;
    }
  }

  /** The next up to `maxLines` lines (records, on the general path); undefined once the text is used up. */
  next(maxLines: number): BarCsvPiece | undefined {
    const bars: ContractBar[] = [];
    const lines: number[] = [];
    const errors: CsvRowError[] = [];
    if (this.headerError) {
      errors.push(this.headerError);
      this.headerError = undefined;
      return { bars, lines, errors };
    }
    const { text, records } = this;
    if (records ? this.at >= records.length : this.at > text.length) return undefined;
    for (let read = 0; read < maxLines; read++) {
      let fields: string[];
      let n: number;
      if (records) {
        const record = records[this.at++];
        if (!record) break;
        n = record.line;
        if (record.problem !== undefined) {
          errors.push({ line: n, reason: record.problem });
          continue;
        }
        if (isBlankRecord(record.fields)) continue;
        fields = record.fields;
      } else {
        if (this.at > text.length) break;
        const newline = text.indexOf('\n', this.at);
        const lineEnd = newline === -1 ? text.length : newline;
        const end = lineEnd > this.at && text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
        const line = text.slice(this.at, end);
        this.at = lineEnd + 1;
        n = ++this.lineIndex;
        if (line.trim() === '') continue;
        fields = line.split(',');
      }
      if (fields.length !== this.width) {
        errors.push({ line: n, reason: `expected ${this.width} fields, found ${fields.length}` });
        continue;
      }
      const bar = (this.options.handChecks === false ? undefined : this.usualRow(fields)) ?? this.checkedRow(fields, n, errors);
      if (bar) {
        bars.push(bar);
        lines.push(n);
      }
    }
    return { bars, lines, errors };
  }

  /** The row as the schema would give it, when it passes every rule; undefined otherwise. */
  private usualRow(f: readonly string[]): ContractBar | undefined {
    const ix = this.index;
    const contractId = (f[ix.contract_id] as string).trim();
    if (contractId.length < 1 || contractId.length > MAX_CONTRACT_ID) return undefined;
    let time: number;
    try {
      time = parseTimestamp(f[ix.timestamp] as string);
    } catch {
      return undefined;
    }
    const open = finiteNumber(f[ix.open] as string);
    const high = finiteNumber(f[ix.high] as string);
    const low = finiteNumber(f[ix.low] as string);
    const close = finiteNumber(f[ix.close] as string);
    const volume = finiteNumber(f[ix.volume] as string);
    const unit = finiteNumber(f[ix.timeframe_unit] as string);
    const value = finiteNumber(f[ix.timeframe_value] as string);
    // NaN (empty or not a finite number) fails every comparison below.
    if (!(open > 0 && high > 0 && low > 0 && close > 0 && volume >= 0 && value > 0 && Number.isInteger(value))) return undefined;
    if (!(high >= Math.max(open, close, low) && low <= Math.min(open, close)) || !isTimeframeUnit(unit)) return undefined;
    return { contractId, time, open, high, low, close, volume, unit, value, isClosed: true };
  }

  /** The schema's verdict on a row: the bar, or its reasons recorded as an error. */
  private checkedRow(f: readonly string[], n: number, errors: CsvRowError[]): ContractBar | undefined {
    const raw = Object.fromEntries(BAR_CSV_COLUMNS.map((c) => [c, f[this.index[c]] ?? '']));
    const result = rowSchema.safeParse(raw);
    if (!result.success) {
      errors.push({ line: n, reason: result.error.issues.map((i) => i.message).join('; ') });
      return undefined;
    }
    const r = result.data;
    return {
      contractId: r.contract_id,
      time: r.timestamp,
      open: r.open,
      high: r.high,
      low: r.low,
      close: r.close,
      volume: r.volume,
      unit: r.timeframe_unit as TimeframeUnit,
      value: r.timeframe_value,
      isClosed: true,
    };
  }
}

/** The schema's `finite`: the trimmed text as a number when it is one and finite; NaN otherwise. */
function finiteNumber(s: string): number {
  const t = s.trim();
  if (t === '') return NaN;
  const n = Number(t);
  return Number.isFinite(n) ? n : NaN;
}

// Binance kline CSVs (data.binance.vision dumps): no header, rows `openTime,open,high,low,close,volume,
// closeTime,…`, openTime in milliseconds, or microseconds in the 2025+ spot dumps. The symbol and
// interval come from the file name (BTCUSDT-1m-2024-01.csv) unless given.
// A file with a quote goes to the general path (csv-parse); a BOM is dropped.
import { basename } from 'node:path';
import { barProblem, isStorableBar } from '../../bar-rules.ts';
import type { ContractBar } from '../../schemas/bar-message.ts';
import { DAY_MS } from '../../time.ts';
import { fixedLengthMs, formatTimeframe, parseTimeframe, type Timeframe, TimeframeUnit } from '../../timeframe.ts';
import type { ParsedBarCsv } from './bar-csv.ts';
import {
  type CsvPath,
  type CsvRecord,
  type CsvRowError,
  isBlankRecord,
  needsGeneralPath,
  readCsvRecords,
  withoutBom,
} from './csv-records.ts';
import { simpleDecimal } from './simple-decimal.ts';

export interface KlineSeries {
  readonly contractId: string;
  readonly timeframe: Timeframe;
}

/** Open times at or above this are microseconds: 1e14 ms is the year 5138, 1e14 µs is 1973. */
const MICROSECONDS_FROM = 1e14;
/** Fields up to volume; the rest (closeTime, quote volume, trades, …) are not stored. */
const MIN_FIELDS = 6;
const DIGITS = /^\d+$/;
const CARRIAGE_RETURN = 13;
const COMMA = 44;
const ZERO = 48;
const NINE = 57;
/** Up to 15 digits an integer built digit by digit stays exact; longer open times go through Number(). */
const EXACT_DIGITS = 15;

/** 'BTCUSDT-1m-2024-01.csv' or 'BTCUSDT-1m-2024-01-15.csv' → BTCUSDT, 1m. Undefined when the name says neither. */
export function klineSeriesFromFileName(path: string): KlineSeries | undefined {
  const match = /^([A-Z0-9]{2,30})-(\d+[smhdwM])-\d{4}-\d{2}(-\d{2})?\.csv$/.exec(basename(path));
  if (!match) return undefined;
  try {
    return { contractId: match[1] as string, timeframe: parseTimeframe(match[2] as string) };
  } catch {
    return undefined;
  }
}

/** Where the readers put their good rows: a series id per contract/timeframe, then the row's values. */
export interface BarSink {
  seriesId(contractId: string, unit: TimeframeUnit, value: number): number;
  push(series: number, line: number, time: number, open: number, high: number, low: number, close: number, volume: number): void;
}

/** True when the first line looks like a kline row (a number first, quoted or not) or Binance's optional header. */
export function looksLikeKlineCsv(firstLine: string): boolean {
  const first =
    withoutBom(firstLine)
      .split(',')[0]
      ?.trim()
      .replace(/^"(.*)"$/, '$1') ?? '';
  return DIGITS.test(first) || first === 'open_time';
}

/** Parses the whole text: every good row as a bar, every bad one as an error with its line number. */
export function parseKlineCsv(text: string, series: KlineSeries, path: CsvPath = 'auto'): ParsedBarCsv {
  const bars: ContractBar[] = [];
  const { unit, value } = series.timeframe;
  const sink: BarSink = {
    seriesId: () => 0,
    push: (_s, _line, time, open, high, low, close, volume) => {
      bars.push({ contractId: series.contractId, unit, value, time, open, high, low, close, volume, isClosed: true });
    },
  };
  const errors: CsvRowError[] = [];
  const reader = new KlineCsvReader(text, series, path);
  while (reader.read(Infinity, sink, errors));
  return { bars, errors };
}

/**
 * Reads a kline file a piece at a time (so the rows read can be written while the rest is parsed).
 * Checks are hand-written rather than a zod schema per row: at a million rows zod alone costs seconds.
 * A row in the usual form (plain decimals, nothing wrong) is read in place from the text; any other
 * row takes the general path, which gives every bad row its reason.
 */
export class KlineCsvReader {
  private at = 0;
  private lineIndex = 0;
  private readonly text: string;
  private readonly records: CsvRecord[] | undefined;
  private readonly alignMs: number | undefined;
  private series = -1;

  constructor(
    text: string,
    private readonly kline: KlineSeries,
    path: CsvPath = 'auto',
  ) {
    this.text = withoutBom(text);
    this.alignMs = alignment(kline.timeframe);
    if (path === 'general' || (path !== 'fast' && needsGeneralPath(this.text))) this.records = readCsvRecords(this.text);
  }

  /** Reads up to `maxLines` more lines (records, on the general path), good rows into `out`; false once the text is used up. */
  read(maxLines: number, out: BarSink, errors: CsvRowError[]): boolean {
    const { text, records } = this;
    if (this.series < 0) this.series = out.seriesId(this.kline.contractId, this.kline.timeframe.unit, this.kline.timeframe.value);
    if (records) {
      for (let read = 0; read < maxLines && this.at < records.length; read++) {
        const record = records[this.at++] as CsvRecord;
        if (record.problem !== undefined) errors.push({ line: record.line, reason: record.problem });
        else this.readFields(record.fields, record.line - 1, out, errors);
      }
      return this.at < records.length;
    }
    for (let read = 0; read < maxLines && this.at <= text.length; read++) {
      const start = this.at;
      const newline = text.indexOf('\n', start);
      const lineEnd = newline === -1 ? text.length : newline;
      this.at = lineEnd + 1;
      const n = this.lineIndex++;
      const end = lineEnd > start && text.charCodeAt(lineEnd - 1) === CARRIAGE_RETURN ? lineEnd - 1 : lineEnd;
      if (!this.readUsualRow(start, end, n + 1, out)) this.readFields(text.slice(start, end).split(',', MIN_FIELDS), n, out, errors);
    }
    return this.at <= text.length;
  }

  /** The usual row, read in place; false (nothing read) for anything else. */
  private readUsualRow(start: number, end: number, line: number, out: BarSink): boolean {
    const { text } = this;
    let i = start;
    let raw = 0;
    for (let c = text.charCodeAt(i); c >= ZERO && c <= NINE; c = text.charCodeAt(++i)) raw = raw * 10 + (c - ZERO);
    if (i === start || i >= end || text.charCodeAt(i) !== COMMA) return false;
    if (i - start > EXACT_DIGITS) raw = Number(text.slice(start, i));
    const time = raw >= MICROSECONDS_FROM ? raw / 1000 : raw;
    let from = i + 1;
    let to = this.fieldEnd(from, end);
    const open = simpleDecimal(text, from, to);
    if (to >= end) return false;
    from = to + 1;
    to = this.fieldEnd(from, end);
    const high = simpleDecimal(text, from, to);
    if (to >= end) return false;
    from = to + 1;
    to = this.fieldEnd(from, end);
    const low = simpleDecimal(text, from, to);
    if (to >= end) return false;
    from = to + 1;
    to = this.fieldEnd(from, end);
    const close = simpleDecimal(text, from, to);
    if (to >= end) return false;
    from = to + 1;
    to = this.fieldEnd(from, end);
    const volume = simpleDecimal(text, from, to);
    // NaN (not a plain decimal) fails isStorableBar too.
    if (!isStorableBar(time, open, high, low, close, volume)) return false;
    if (this.alignMs !== undefined && time % this.alignMs !== 0) return false;
    out.push(this.series, line, time, open, high, low, close, volume);
    return true;
  }

  private fieldEnd(from: number, end: number): number {
    const comma = this.text.indexOf(',', from);
    return comma === -1 || comma > end ? end : comma;
  }

  /** Any row (`n` counts lines from 0): the general checks, each with its reason. */
  private readFields(f: readonly string[], n: number, out: BarSink, errors: CsvRowError[]): void {
    if (isBlankRecord(f)) return;
    if (n === 0 && (f[0] as string).startsWith('open_time')) return;
    const reason = fieldsProblem(f);
    if (reason !== undefined) {
      errors.push({ line: n + 1, reason });
      return;
    }
    const raw = Number(f[0]);
    const time = raw >= MICROSECONDS_FROM ? raw / 1000 : raw;
    const { contractId, timeframe } = this.kline;
    const bar: ContractBar = {
      contractId,
      unit: timeframe.unit,
      value: timeframe.value,
      time,
      open: Number(f[1]),
      high: Number(f[2]),
      low: Number(f[3]),
      close: Number(f[4]),
      volume: Number(f[5]),
      isClosed: true,
    };
    const problem =
      numbersProblem(f, bar) ??
      barProblem(bar) ??
      (this.alignMs !== undefined && time % this.alignMs !== 0
        ? `openTime ${f[0]} is not on a ${formatTimeframe(timeframe)} boundary`
        : undefined);
    if (problem !== undefined) {
      errors.push({ line: n + 1, reason: problem });
      return;
    }
    out.push(this.series, n + 1, time, bar.open, bar.high, bar.low, bar.close, bar.volume);
  }
}

const FIELD_NAMES = ['openTime', 'open', 'high', 'low', 'close', 'volume'];

function fieldsProblem(f: readonly string[]): string | undefined {
  if (f.length < MIN_FIELDS) return `expected at least ${MIN_FIELDS} fields (openTime,open,high,low,close,volume,…), found ${f.length}`;
  if (!DIGITS.test(f[0] as string)) return `openTime '${f[0]}' is not an epoch time in ms or µs`;
  return undefined;
}

/** The numbers as parsed; Number() reads '' and ' ' as 0, so a 0 is checked against its text. */
function numbersProblem(f: readonly string[], bar: ContractBar): string | undefined {
  const { open, high, low, close, volume } = bar;
  // The common case without allocating: all numbers, none zero.
  if (!Number.isNaN(open + high + low + close + volume) && open !== 0 && high !== 0 && low !== 0 && close !== 0 && volume !== 0)
    return undefined;
  const values = [bar.open, bar.high, bar.low, bar.close, bar.volume];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v) || (v === 0 && (f[i + 1] as string).trim() === '')) return `${FIELD_NAMES[i + 1]} '${f[i + 1]}' is not a number`;
  }
  return undefined;
}

/** Binance opens second/minute/hour klines and days on UTC boundaries; weeks and months it anchors otherwise. */
function alignment(tf: Timeframe): number | undefined {
  if (tf.unit === TimeframeUnit.day && tf.value === 1) return DAY_MS;
  return fixedLengthMs(tf);
}

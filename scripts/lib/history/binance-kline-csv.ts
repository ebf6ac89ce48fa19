// Binance kline CSVs (data.binance.vision dumps): no header, rows `openTime,open,high,low,close,volume,
// closeTime,…`, openTime in milliseconds, or microseconds in the 2025+ spot dumps. The symbol and
// interval come from the file name (BTCUSDT-1m-2024-01.csv) unless given.
import { basename } from 'node:path';
import { type ContractBar, type CsvRowError, DAY_MS, fixedLengthMs, formatTimeframe, type ParsedBarCsv, parseTimeframe,
  type Timeframe, TimeframeUnit } from '@barstream/core';
import { barProblem } from './bar-rules.ts';

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

/** True when the first line looks like a kline row (a number first) or Binance's optional header. */
export function looksLikeKlineCsv(firstLine: string): boolean {
  const first = firstLine.split(',')[0]?.trim() ?? '';
  return DIGITS.test(first) || first === 'open_time';
}

/**
 * Parses every row; bad ones come back as errors with their line number. Checks are hand-written
 * rather than a zod schema per row: at a million rows zod alone costs seconds, the whole import budget.
 */
export function parseKlineCsv(text: string, series: KlineSeries): ParsedBarCsv {
  const bars: ContractBar[] = [];
  const errors: CsvRowError[] = [];
  const { contractId, timeframe } = series;
  const alignMs = alignment(timeframe);
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    let line = lines[n] as string;
    if (line.charCodeAt(line.length - 1) === CARRIAGE_RETURN) line = line.slice(0, -1);
    if (line.trim() === '') continue;
    if (n === 0 && line.startsWith('open_time')) continue;
    const f = line.split(',', MIN_FIELDS);
    const reason = fieldsProblem(f);
    if (reason !== undefined) {
      errors.push({ line: n + 1, reason });
      continue;
    }
    const raw = Number(f[0]);
    const time = raw >= MICROSECONDS_FROM ? raw / 1000 : raw;
    const bar: ContractBar = { contractId, unit: timeframe.unit, value: timeframe.value, time, open: Number(f[1]), high: Number(f[2]),
      low: Number(f[3]), close: Number(f[4]), volume: Number(f[5]), isClosed: true };
    const problem = numbersProblem(f, bar) ?? barProblem(bar)
      ?? (alignMs !== undefined && time % alignMs !== 0 ? `openTime ${f[0]} is not on a ${formatTimeframe(timeframe)} boundary` : undefined);
    if (problem !== undefined) {
      errors.push({ line: n + 1, reason: problem });
      continue;
    }
    bars.push(bar);
  }
  return { bars, errors };
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
  if (!Number.isNaN(open + high + low + close + volume) && open !== 0 && high !== 0 && low !== 0 && close !== 0 && volume !== 0) return undefined;
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

// Imports one bar file: the origin's CSV layout (via core's parseBarCsv) or a Binance kline CSV. The
// whole file is validated first and written in one transaction, so a file with bad rows commits
// nothing unless the caller chose to skip them.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { BarstreamError, type ContractBar, type CsvRowError, formatTimeframe, type ParsedBarCsv, parseBarCsv, type Timeframe } from '@barstream/core';
import { inTransaction, type Pool } from '@barstream/core/node';
import { klineSeriesFromFileName, looksLikeKlineCsv, parseKlineCsv } from './binance-kline-csv.ts';
import { type SeriesWriteResult, upsertClosedBars } from './bar-writer.ts';

export type BarFileFormat = 'barstream' | 'binance';

export interface ImportOptions {
  /** Store the bars under this contract id (Binance: instead of the file name's symbol). */
  readonly contract?: string;
  /** Binance files only: the interval, instead of the file name's. */
  readonly timeframe?: Timeframe;
  /** Write the good rows of a file that has bad ones (default: write nothing for such a file). */
  readonly skipBadRows?: boolean;
}

export interface ParsedBarFile {
  readonly format: BarFileFormat;
  readonly bars: ContractBar[];
  readonly errors: CsvRowError[];
}

export interface ImportReport extends ParsedBarFile {
  readonly file: string;
  /** True when the bars were written (and their bars_imported notifications sent). */
  readonly committed: boolean;
  readonly results: readonly SeriesWriteResult[];
}

/** The file's bars and bad rows, in file order; throws for a file whose layout or series cannot be told. */
export function parseBarFile(text: string, fileName: string, options: ImportOptions = {}): ParsedBarFile {
  const newline = text.indexOf('\n');
  const firstLine = newline === -1 ? text : text.slice(0, newline);
  if (looksLikeKlineCsv(firstLine)) {
    const fromName = klineSeriesFromFileName(fileName);
    const contractId = options.contract ?? fromName?.contractId;
    const timeframe = options.timeframe ?? fromName?.timeframe;
    if (!contractId || !timeframe) {
      throw new ImportFileError(`${basename(fileName)}: a Binance kline file needs its symbol and interval, from a name like `
        + 'BTCUSDT-1m-2024-01.csv or from --contract and --timeframe');
    }
    return { format: 'binance', ...rejectDuplicates(parseKlineCsv(text, { contractId, timeframe }), text) };
  }
  if (options.timeframe) throw new ImportFileError(`${basename(fileName)}: --timeframe applies to Binance kline files; this file names its timeframe on every row`);
  let parsed = parseBarCsv(text);
  if (options.contract !== undefined) {
    const contractId = options.contract;
    parsed = { bars: parsed.bars.map((b) => ({ ...b, contractId })), errors: parsed.errors };
  }
  return { format: 'barstream', ...rejectDuplicates(parsed, text) };
}

export async function importBarFile(pool: Pool, path: string, options: ImportOptions = {}): Promise<ImportReport> {
  const parsed = parseBarFile(await readFile(path, 'utf8'), path, options);
  const writable = parsed.errors.length === 0 || options.skipBadRows === true;
  if (!writable || parsed.bars.length === 0) return { file: path, ...parsed, committed: false, results: [] };
  const results = await inTransaction(pool, (client) => upsertClosedBars(client, parsed.bars));
  return { file: path, ...parsed, committed: true, results };
}

/** A file that cannot be imported at all (unknown series, wrong flag for its layout). */
export class ImportFileError extends BarstreamError {
  constructor(message: string) {
    super('import_file', message);
  }
}

/**
 * The second and later rows for one bar become errors naming the first: one upsert may not touch a row
 * twice, and a file that says two things about one bar is wrong somewhere.
 */
function rejectDuplicates(parsed: ParsedBarCsv, text: string): { bars: ContractBar[]; errors: CsvRowError[] } {
  const lineOf = barLineNumbers(text, parsed);
  const seen = new Map<string, Map<number, number>>();
  const bars: ContractBar[] = [];
  const errors = [...parsed.errors];
  parsed.bars.forEach((bar, i) => {
    const seriesKey = `${bar.contractId}|${bar.unit}|${bar.value}`;
    let times = seen.get(seriesKey);
    if (!times) {
      times = new Map();
      seen.set(seriesKey, times);
    }
    const line = lineOf?.[i] ?? 0;
    const first = times.get(bar.time);
    if (first !== undefined) {
      errors.push({ line, reason: `duplicate of line ${first} (${bar.contractId} ${formatTimeframe(bar)} ${new Date(bar.time).toISOString()})` });
      return;
    }
    times.set(bar.time, line);
    bars.push(bar);
  });
  if (errors.length > parsed.errors.length) errors.sort((a, b) => a.line - b.line);
  return { bars, errors };
}

/**
 * Line number of each parsed bar: the parsers keep every non-blank data line that is not an error, in
 * order. Undefined if that does not add up (then duplicates are reported without line numbers).
 */
function barLineNumbers(text: string, parsed: ParsedBarCsv): number[] | undefined {
  const bad = new Set(parsed.errors.map((e) => e.line));
  const lines: number[] = [];
  let start = 0;
  for (let n = 1; start <= text.length; n++) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end === -1 ? text.length : end);
    start = end === -1 ? text.length + 1 : end + 1;
    if (n === 1 && !/^\d/.test(line)) continue;
    if (line.trim() !== '' && !bad.has(n)) lines.push(n);
  }
  return lines.length === parsed.bars.length ? lines : undefined;
}

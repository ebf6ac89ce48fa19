// Imports one bar file: the origin's CSV layout or a Binance kline CSV (core's CSV module reads both). The
// file is parsed a piece at a time and each piece written while the next is parsed, all in one
// transaction that commits only once the whole file has been read: a file with bad rows commits
// nothing unless the caller chose to skip them.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { BarstreamError, type ContractBar, type Timeframe } from '@barstream/core';
import {
  BarCsvReader,
  type CsvPath,
  type CsvRowError,
  KlineCsvReader,
  klineSeriesFromFileName,
  looksLikeKlineCsv,
  type Pool,
  withClient,
  withoutBom,
} from '@barstream/core/node';
import { BarColumns } from './bar-columns.ts';
import { ClosedBarWriter, type SeriesWriteResult } from './bar-writer.ts';
import { DuplicateBarFilter } from './duplicate-bar-filter.ts';

export type BarFileFormat = 'barstream' | 'binance';

export interface ImportOptions {
  /** Store the bars under this contract id (Binance: instead of the file name's symbol). */
  readonly contract?: string;
  /** Binance files only: the interval, instead of the file name's. */
  readonly timeframe?: Timeframe;
  /** Write the good rows of a file that has bad ones (default: write nothing for such a file). */
  readonly skipBadRows?: boolean;
  /** Which CSV reader: 'auto' (the default) takes the fast path unless the file has a quote; bench and tests force one. */
  readonly csvPath?: CsvPath;
}

export interface ParsedBarFile {
  readonly format: BarFileFormat;
  readonly bars: BarColumns;
  /** Bad rows, in line order. */
  readonly errors: CsvRowError[];
}

export interface ImportReport {
  readonly file: string;
  readonly format: BarFileFormat;
  /** Good rows in the file (written when committed). */
  readonly barCount: number;
  readonly errors: CsvRowError[];
  /** True when the bars were written (and their bars_imported notifications sent). */
  readonly committed: boolean;
  readonly results: readonly SeriesWriteResult[];
}

/** Lines parsed between writes: small enough that the server starts early, large enough to amortise a write. */
const LINES_PER_PIECE = 16_384;

/** Reads a file's good rows into `out` a piece at a time; false once the text is used up. */
interface BarRowReader {
  read(maxLines: number, out: BarColumns, errors: CsvRowError[]): boolean;
}

/** The file's bars and bad rows, without writing; throws for a file whose layout or series cannot be told. */
export function parseBarFile(text: string, fileName: string, options: ImportOptions = {}): ParsedBarFile {
  const { format, reader } = openBarFile(text, fileName, options);
  const bars = new BarColumns();
  const duplicates = new DuplicateBarFilter();
  const errors: CsvRowError[] = [];
  for (let more = true; more;) {
    const from = bars.length;
    more = reader.read(LINES_PER_PIECE, bars, errors);
    duplicates.filter(bars, from, errors);
  }
  return { format, bars, errors: inLineOrder(errors, duplicates) };
}

export async function importBarFile(pool: Pool, path: string, options: ImportOptions = {}): Promise<ImportReport> {
  const text = await readFile(path, 'utf8');
  const { format, reader } = openBarFile(text, path, options);
  const bars = new BarColumns();
  const duplicates = new DuplicateBarFilter();
  const errors: CsvRowError[] = [];
  const report = (committed: boolean, results: readonly SeriesWriteResult[]): ImportReport => ({
    file: path,
    format,
    barCount: bars.length,
    errors: inLineOrder(errors, duplicates),
    committed,
    results,
  });
  return withClient(pool, async (client) => {
    await client.query('BEGIN');
    const writer = new ClosedBarWriter(client, bars);
    try {
      for (let more = true; more;) {
        const from = bars.length;
        more = reader.read(LINES_PER_PIECE, bars, errors);
        duplicates.filter(bars, from, errors);
        // After a bad row the file is rolled back (unless bad rows are skipped): nothing more to send.
        if (errors.length === 0 || options.skipBadRows === true) await writer.add(from);
      }
      if ((errors.length > 0 && options.skipBadRows !== true) || bars.length === 0) {
        await writer.abort();
        await client.query('ROLLBACK');
        return report(false, []);
      }
      const results = await writer.finish();
      await client.query('COMMIT');
      return report(true, results);
    } catch (err) {
      await writer.abort();
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  });
}

/** A file that cannot be imported at all (unknown series, wrong flag for its layout). */
export class ImportFileError extends BarstreamError {
  constructor(message: string) {
    super('import_file', message);
  }
}

function openBarFile(file: string, fileName: string, options: ImportOptions): { format: BarFileFormat; reader: BarRowReader } {
  const text = withoutBom(file);
  const newline = text.indexOf('\n');
  const firstLine = newline === -1 ? text : text.slice(0, newline);
  if (looksLikeKlineCsv(firstLine)) {
    const fromName = klineSeriesFromFileName(fileName);
    const contractId = options.contract ?? fromName?.contractId;
    const timeframe = options.timeframe ?? fromName?.timeframe;
    if (!contractId || !timeframe) {
      throw new ImportFileError(
        `${basename(fileName)}: a Binance kline file needs its symbol and interval, from a name like ` +
          'BTCUSDT-1m-2024-01.csv or from --contract and --timeframe',
      );
    }
    return { format: 'binance', reader: new KlineCsvReader(text, { contractId, timeframe }, options.csvPath) };
  }
  if (options.timeframe)
    throw new ImportFileError(
      `${basename(fileName)}: --timeframe applies to Binance kline files; this file names its timeframe on every row`,
    );
  return { format: 'barstream', reader: originReader(text, options.contract, options.csvPath) };
}

/** core's reader of the origin layout, its bars stored under `contract` when given. */
function originReader(text: string, contract: string | undefined, path: CsvPath | undefined): BarRowReader {
  const reader = new BarCsvReader(text, { path });
  let last: ContractBar | undefined;
  let series = -1;
  return {
    read(maxLines, out, errors) {
      const piece = reader.next(maxLines);
      if (!piece) return false;
      piece.bars.forEach((b, k) => {
        // Rows of one series usually come together: look the series up only when it changes.
        if (!last || last.contractId !== b.contractId || last.unit !== b.unit || last.value !== b.value) {
          series = out.seriesId(contract ?? b.contractId, b.unit, b.value);
          last = b;
        }
        out.push(series, piece.lines[k] as number, b.time, b.open, b.high, b.low, b.close, b.volume);
      });
      for (const e of piece.errors) errors.push(e);
      return true;
    },
  };
}

/** Duplicates are found after the parse errors of their piece: sorted in among them (stable). */
function inLineOrder(errors: CsvRowError[], duplicates: DuplicateBarFilter): CsvRowError[] {
  return duplicates.dropped > 0 ? errors.sort((a, b) => a.line - b.line) : errors;
}

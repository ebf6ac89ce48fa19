// Trend-label CSV (GET /api/trend-labels/export, POST /api/trend-labels/import, npm run analyzer --
// labels export|import): one trend_labels row per record, written by csv-write.ts and read back by the
// general path with columns found by header name. Times as in the signal CSV ('2025-03-17
// 14:00:00+00:00'); author and created_at may be left out on import (author '' and now).
import { z } from 'zod';
import { parseTimestamp } from '../../strategies/mes-csv.ts';
import { formatTimeframe, parseTimeframe } from '../../timeframe.ts';
import { MAX_AUTHOR_LENGTH, TREND_LABEL_TYPES, type TrendLabelType } from '../../scoring/trend-direction.ts';
import type { CsvRowError } from './csv-records.ts';
import { formatCsvRecords } from './csv-write.ts';
import { readHeaderRows } from './header-rows.ts';
import { formatInstant } from './signal-csv.ts';

export const TREND_LABEL_CSV_COLUMNS = ['contract_id', 'timeframe', 'timestamp', 'label_type', 'author', 'created_at'] as const;
const REQUIRED_COLUMNS = ['contract_id', 'timeframe', 'timestamp', 'label_type'] as const;

/** One trend_labels row; times in epoch ms. */
export interface TrendLabelCsvRow {
  readonly contractId: string;
  readonly timeframe: string;
  readonly time: number;
  readonly labelType: TrendLabelType;
  readonly author: string;
  /** null: not in the file (stored as the time of import). */
  readonly createdAt: number | null;
}

/** A row read from a file, with the line it starts on. */
export interface ReadTrendLabel extends TrendLabelCsvRow {
  readonly line: number;
}

export interface ParsedTrendLabelCsv {
  readonly rows: ReadTrendLabel[];
  /** Each bad record by line, its reason naming the column. */
  readonly errors: CsvRowError[];
}

/** The whole file: header and rows, each ending in a line break. */
export function formatTrendLabelCsv(rows: readonly TrendLabelCsvRow[]): string {
  return formatCsvRecords([
    TREND_LABEL_CSV_COLUMNS,
    ...rows.map((r) => [
      r.contractId,
      r.timeframe,
      formatInstant(r.time),
      r.labelType,
      r.author,
      r.createdAt === null ? null : formatInstant(r.createdAt),
    ]),
  ]);
}

const instant = z.string().transform((s, ctx) => {
  try {
    return parseTimestamp(s);
  } catch {
    ctx.addIssue({ code: 'custom', message: `'${s}' is not a date-time like 2025-03-17 14:00:00+00:00` });
    return z.NEVER;
  }
});
const ID = /^[A-Za-z0-9._:-]{1,100}$/;
const rowSchema = z.object({
  contract_id: z.string().trim().regex(ID, 'must be 1 to 100 letters, digits or . _ : -'),
  timeframe: z
    .string()
    .trim()
    .transform((s, ctx) => {
      try {
        return formatTimeframe(parseTimeframe(s));
      } catch {
        ctx.addIssue({ code: 'custom', message: `'${s}' is not a timeframe like 5m, 1h, 1d` });
        return z.NEVER;
      }
    }),
  timestamp: instant,
  label_type: z
    .string()
    .trim()
    .pipe(z.enum(TREND_LABEL_TYPES, { error: `must be ${TREND_LABEL_TYPES.join(' or ')}` })),
  author: z.string().trim().max(MAX_AUTHOR_LENGTH, `must be at most ${MAX_AUTHOR_LENGTH} characters`).default(''),
  created_at: z
    .string()
    .trim()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined || s === '') return null;
      try {
        return parseTimestamp(s);
      } catch {
        ctx.addIssue({ code: 'custom', message: `'${s}' is not a date-time` });
        return z.NEVER;
      }
    }),
});

/** Reads a labels file: good rows in file order, bad ones by line as "column: reason" (a second
 * label of one bar by one author included). */
export function parseTrendLabelCsv(csv: string): ParsedTrendLabelCsv {
  const rows: ReadTrendLabel[] = [];
  const errors: CsvRowError[] = [];
  /** Line of each (contract, timeframe, bar, author) seen: a file gives a bar one label per author. */
  const seen = new Map<string, number>();
  for (const item of readHeaderRows(csv, TREND_LABEL_CSV_COLUMNS, REQUIRED_COLUMNS)) {
    if ('reason' in item) {
      errors.push(item);
      continue;
    }
    const record = item;
    const result = rowSchema.safeParse(record.values);
    if (!result.success) {
      errors.push({ line: record.line, reason: result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      continue;
    }
    const r = result.data;
    const key = `${r.contract_id}|${r.timeframe}|${r.timestamp}|${r.author}`;
    const first = seen.get(key);
    if (first !== undefined) {
      errors.push({ line: record.line, reason: `timestamp: line ${first} already labels this bar for author '${r.author}'` });
      continue;
    }
    seen.set(key, record.line);
    rows.push({
      line: record.line,
      contractId: r.contract_id,
      timeframe: r.timeframe,
      time: r.timestamp,
      labelType: r.label_type,
      author: r.author,
      createdAt: r.created_at,
    });
  }
  return { rows, errors };
}

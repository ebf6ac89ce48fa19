// Bar CSV in the origin's layout: `[id,]contract_id,timestamp,open,high,low,close,volume,
// timeframe_unit,timeframe_value`. Each bad row is reported with its line number and reason.
import { z } from 'zod';
import type { ContractBar } from './schemas/bar-message.ts';
import { parseTimestamp } from './strategies/mes-csv.ts';
import { isTimeframeUnit, type TimeframeUnit } from './timeframe.ts';

export const BAR_CSV_COLUMNS = ['contract_id', 'timestamp', 'open', 'high', 'low', 'close', 'volume', 'timeframe_unit', 'timeframe_value'] as const;

export interface CsvRowError {
  readonly line: number;
  readonly reason: string;
}

export interface ParsedBarCsv {
  readonly bars: ContractBar[];
  readonly errors: CsvRowError[];
}

const finite = (name: string) => z.string().trim().min(1, `${name} is empty`).transform((s, ctx) => {
  const n = Number(s);
  if (!Number.isFinite(n)) ctx.addIssue({ code: 'custom', message: `${name} '${s}' is not a number` });
  return n;
});

const rowSchema = z.object({
  contract_id: z.string().trim().min(1, 'contract_id is empty').max(100),
  timestamp: z.string().transform((s, ctx) => {
    try {
      return parseTimestamp(s);
    } catch {
      ctx.addIssue({ code: 'custom', message: `timestamp '${s}' is not a date-time` });
      return NaN;
    }
  }),
  open: finite('open'), high: finite('high'), low: finite('low'), close: finite('close'), volume: finite('volume'),
  timeframe_unit: finite('timeframe_unit'), timeframe_value: finite('timeframe_value'),
}).superRefine((r, ctx) => {
  if (!(r.open > 0 && r.high > 0 && r.low > 0 && r.close > 0)) ctx.addIssue({ code: 'custom', message: 'prices must be positive' });
  if (r.high < Math.max(r.open, r.close, r.low) || r.low > Math.min(r.open, r.close)) ctx.addIssue({ code: 'custom', message: `high ${r.high} / low ${r.low} do not contain open ${r.open} and close ${r.close}` });
  if (r.volume < 0) ctx.addIssue({ code: 'custom', message: `volume ${r.volume} is negative` });
  if (!isTimeframeUnit(r.timeframe_unit)) ctx.addIssue({ code: 'custom', message: `timeframe_unit ${r.timeframe_unit} is not 1..6` });
  if (!(Number.isInteger(r.timeframe_value) && r.timeframe_value > 0)) ctx.addIssue({ code: 'custom', message: `timeframe_value ${r.timeframe_value} is not a positive integer` });
});

/** Parses the whole text; rows come back in file order (sort them if needed). */
export function parseBarCsv(text: string): ParsedBarCsv {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
  const missing = BAR_CSV_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) return { bars: [], errors: [{ line: 1, reason: `header lacks column(s) ${missing.join(', ')}` }] };
  const index = Object.fromEntries(BAR_CSV_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<(typeof BAR_CSV_COLUMNS)[number], number>;
  const bars: ContractBar[] = [];
  const errors: CsvRowError[] = [];
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n] as string;
    if (line.trim() === '') continue;
    const fields = line.split(',');
    if (fields.length !== header.length) {
      errors.push({ line: n + 1, reason: `expected ${header.length} fields, found ${fields.length}` });
      continue;
    }
    const raw = Object.fromEntries(BAR_CSV_COLUMNS.map((c) => [c, fields[index[c]] ?? '']));
    const result = rowSchema.safeParse(raw);
    if (!result.success) {
      errors.push({ line: n + 1, reason: result.error.issues.map((i) => i.message).join('; ') });
      continue;
    }
    const r = result.data;
    bars.push({ contractId: r.contract_id, time: r.timestamp, open: r.open, high: r.high, low: r.low, close: r.close, volume: r.volume,
      unit: r.timeframe_unit as TimeframeUnit, value: r.timeframe_value, isClosed: true });
  }
  return { bars, errors };
}

// Tick CSV (replay files): `contract_id,timestamp,price,volume[,side]`, columns found by header name in
// any order, read through the general path (replay files are small; no fast path pays here).
import type { Trade } from '../../schemas/tick.ts';
import { parseTimestamp } from '../../strategies/mes-csv.ts';
import { type CsvRowError, isBlankRecord, readCsvRecords } from './csv-records.ts';

export interface ParsedTickCsv {
  /** Good rows, in time order. */
  readonly trades: Trade[];
  readonly errors: CsvRowError[];
}

/** Every good row as a trade (`contractOverride` instead of the file's contract_id), every bad one by line. */
export function parseTickCsv(text: string, contractOverride?: string): ParsedTickCsv {
  const records = readCsvRecords(text);
  const header = (records[0]?.fields ?? []).map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name);
  const [c, t, p, v, s] = [col('contract_id'), col('timestamp'), col('price'), col('volume'), col('side')];
  if (t < 0 || p < 0 || v < 0 || (c < 0 && !contractOverride)) {
    return { trades: [], errors: [{ line: 1, reason: 'tick CSV needs columns contract_id,timestamp,price,volume[,side]' }] };
  }
  const trades: Trade[] = [];
  const errors: CsvRowError[] = [];
  for (const record of records.slice(1)) {
    if (record.problem !== undefined) {
      errors.push({ line: record.line, reason: record.problem });
      continue;
    }
    const f = record.fields;
    if (isBlankRecord(f)) continue;
    if (f.length !== header.length) {
      errors.push({ line: record.line, reason: `expected ${header.length} fields, found ${f.length}` });
      continue;
    }
    const reason = tickProblem(f, p, v, t, c, contractOverride);
    if (reason !== undefined) {
      errors.push({ line: record.line, reason });
      continue;
    }
    const side = s >= 0 ? f[s]?.trim() : undefined;
    trades.push({
      contractId: contractOverride ?? (f[c] as string).trim(),
      time: parseTimestamp(f[t] as string),
      price: Number(f[p]),
      volume: Number(f[v]),
      side: side === 'buy' || side === 'sell' ? side : 'unknown',
    });
  }
  trades.sort((a, b) => a.time - b.time);
  return { trades, errors };
}

function tickProblem(
  f: readonly string[],
  p: number,
  v: number,
  t: number,
  c: number,
  contractOverride: string | undefined,
): string | undefined {
  const price = (f[p] as string).trim();
  const volume = (f[v] as string).trim();
  if (!(Number(price) > 0 && Number.isFinite(Number(price)))) return `price '${f[p]}' is not a positive number`;
  if (volume === '' || !(Number(volume) >= 0 && Number.isFinite(Number(volume)))) return `volume '${f[v]}' is not a non-negative number`;
  if (contractOverride === undefined && (f[c] as string).trim() === '') return 'contract_id is empty';
  try {
    parseTimestamp(f[t] as string);
  } catch {
    return `timestamp '${f[t]}' is not a date-time`;
  }
  return undefined;
}

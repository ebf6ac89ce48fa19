// Reader for the MES bar exports in ../shared/data/mes (see its README): columns
// `[id,]contract_id,timestamp,open,high,low,close,volume,...`, rows not guaranteed to be in time order.
import type { OhlcBar } from '../bar.ts';

export interface MesBars {
  /** Bars sorted by time ascending (stable for equal timestamps). */
  readonly bars: OhlcBar[];
  /** The timestamp text exactly as written in the file, parallel to `bars`. */
  readonly timestamps: string[];
}

const TIMESTAMP_RE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Parses `YYYY-MM-DD HH:MM:SS[.fff][Z|±HH:MM]` (no offset = UTC) to epoch ms. */
export function parseTimestamp(text: string): number {
  const m = TIMESTAMP_RE.exec(text.trim());
  if (m === null) throw new Error(`unrecognised timestamp: ${JSON.stringify(text)}`);
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  let ms = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!) + (frac ? Math.round(Number(frac) * 1000) : 0);
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return ms;
}

/** Formats epoch ms as `YYYY-MM-DD HH:MM:SS+00:00`, the layout of the MES files and reference CSVs. */
export function formatUtcTimestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ') + '+00:00';
}

/** Parses a MES CSV file's text; columns are located by header name, so a leading `id` is fine. */
export function parseMesCsv(text: string): MesBars {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  const col = (name: string): number => {
    const k = header.indexOf(name);
    if (k < 0) throw new Error(`MES CSV: missing column "${name}" in header ${JSON.stringify(lines[0])}`);
    return k;
  };
  const [ts, o, h, l, c, v] = ['timestamp', 'open', 'high', 'low', 'close', 'volume'].map(col) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];

  const rows: { bar: OhlcBar; stamp: string }[] = [];
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n]!;
    if (line.trim() === '') continue;
    const f = line.split(',');
    const num = (k: number): number => {
      const x = Number(f[k]);
      if (f[k] === undefined || f[k].trim() === '' || !Number.isFinite(x)) {
        throw new Error(`MES CSV line ${n + 1}: bad ${header[k]} ${JSON.stringify(f[k])}`);
      }
      return x;
    };
    const stamp = (f[ts] ?? '').trim();
    rows.push({
      bar: { time: parseTimestamp(stamp), open: num(o), high: num(h), low: num(l), close: num(c), volume: num(v) },
      stamp,
    });
  }
  rows.sort((a, b) => a.bar.time - b.bar.time);
  return { bars: rows.map((r) => r.bar), timestamps: rows.map((r) => r.stamp) };
}

// Reads a replay file into time-ordered trades: bar CSVs become deterministic trade paths,
// tick CSVs (contract_id,timestamp,price,volume[,side]) are taken as they are.
import { barTradePath, type CsvRowError, parseBarCsv, parseTimestamp, type SessionCalendar, type Trade, timeframeOf } from '@barstream/core';

export interface ReplaySource {
  readonly trades: Trade[];
  readonly errors: CsvRowError[];
}

export function readReplaySource(text: string, calendarFor: (contractId: string) => SessionCalendar | undefined, contractOverride?: string): ReplaySource {
  const header = (text.slice(0, text.indexOf('\n')) || text).toLowerCase();
  return header.includes('open') ? fromBars(text, calendarFor, contractOverride) : fromTicks(text, contractOverride);
}

function fromBars(text: string, calendarFor: (contractId: string) => SessionCalendar | undefined, contractOverride?: string): ReplaySource {
  const { bars, errors } = parseBarCsv(text);
  bars.sort((a, b) => a.time - b.time);
  const trades: Trade[] = [];
  for (const bar of bars) {
    const contractId = contractOverride ?? bar.contractId;
    const calendar = calendarFor(contractId);
    if (!calendar) {
      errors.push({ line: 0, reason: `contract ${contractId} is not configured for this ingester` });
      continue;
    }
    const bucket = calendar.bucket(bar.time, timeframeOf(bar.unit, bar.value));
    trades.push(...barTradePath(contractId, bar, bucket.from, bucket.to));
  }
  return { trades, errors: dedupeErrors(errors) };
}

function fromTicks(text: string, contractOverride?: string): ReplaySource {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name);
  const [c, t, p, v, s] = [col('contract_id'), col('timestamp'), col('price'), col('volume'), col('side')];
  const errors: CsvRowError[] = [];
  if (t < 0 || p < 0 || v < 0 || (c < 0 && !contractOverride)) {
    return { trades: [], errors: [{ line: 1, reason: 'tick CSV needs columns contract_id,timestamp,price,volume[,side]' }] };
  }
  const trades: Trade[] = [];
  for (let n = 1; n < lines.length; n++) {
    const f = (lines[n] as string).split(',');
    if (f.length === 1 && f[0]?.trim() === '') continue;
    try {
      const price = Number(f[p]);
      const volume = Number(f[v]);
      if (!(price > 0) || !(volume >= 0)) throw new Error(`price '${f[p]}' / volume '${f[v]}' invalid`);
      const side = (s >= 0 ? f[s]?.trim() : 'unknown') as Trade['side'];
      trades.push({ contractId: contractOverride ?? (f[c] ?? '').trim(), time: parseTimestamp(f[t] ?? ''), price, volume,
        side: side === 'buy' || side === 'sell' ? side : 'unknown' });
    } catch (err) {
      errors.push({ line: n + 1, reason: (err as Error).message });
    }
  }
  trades.sort((a, b) => a.time - b.time);
  return { trades, errors };
}

function dedupeErrors(errors: CsvRowError[]): CsvRowError[] {
  const seen = new Set<string>();
  return errors.filter((e) => (seen.has(`${e.line}|${e.reason}`) ? false : (seen.add(`${e.line}|${e.reason}`), true)));
}

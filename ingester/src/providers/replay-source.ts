// Reads a replay file into time-ordered trades: bar CSVs become deterministic trade paths,
// tick CSVs (contract_id,timestamp,price,volume[,side]) are taken as they are. Both layouts are read by
// core's CSV module (quoted fields, CRLF and a BOM included).
import { barTradePath, type SessionCalendar, type Trade, timeframeOf } from '@barstream/core';
import { type CsvRowError, parseBarCsv, parseTickCsv, withoutBom } from '@barstream/core/node';

export interface ReplaySource {
  readonly trades: Trade[];
  readonly errors: CsvRowError[];
}

export function readReplaySource(
  text: string,
  calendarFor: (contractId: string) => SessionCalendar | undefined,
  contractOverride?: string,
): ReplaySource {
  const body = withoutBom(text);
  const newline = body.indexOf('\n');
  const header = (newline === -1 ? body : body.slice(0, newline)).toLowerCase();
  return header.includes('open') ? fromBars(text, calendarFor, contractOverride) : parseTickCsv(text, contractOverride);
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

function dedupeErrors(errors: CsvRowError[]): CsvRowError[] {
  const seen = new Set<string>();
  return errors.filter((e) => (seen.has(`${e.line}|${e.reason}`) ? false : (seen.add(`${e.line}|${e.reason}`), true)));
}

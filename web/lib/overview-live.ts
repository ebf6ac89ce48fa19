// The overview's rows kept current from the broadcaster: trades move a contract's last price, tick
// age and session change; a stored signal becomes its last signal. A trade in a session later than
// the one the page was rendered in starts that session's change from its own price (the session's
// first trade the page saw). Pure.
import { SessionCalendar, signalMessageSchema, tickBatchMessageSchema } from '@barstream/core';
import type { ContractSummary } from './queries/market-summary.ts';

const calendars = new Map<string, SessionCalendar | null>();

function calendarOf(row: ContractSummary): SessionCalendar | null {
  const { contract } = row;
  const key = `${contract.timezone ?? ''}|${contract.session_open ?? ''}`;
  if (!calendars.has(key)) {
    calendars.set(
      key,
      contract.timezone === null || contract.session_open === null
        ? null
        : new SessionCalendar({ name: contract.session_calendar, timezone: contract.timezone, sessionOpen: contract.session_open }),
    );
  }
  return calendars.get(key) ?? null;
}

function withPrice(row: ContractSummary, price: number, atMs: number): ContractSummary {
  let { sessionOpenAt, sessionOpenPrice } = row;
  const calendar = calendarOf(row);
  if (calendar) {
    const open = calendar.sessionOpen(calendar.tradeDate(atMs));
    if (sessionOpenAt === null || open > Date.parse(sessionOpenAt)) {
      sessionOpenAt = new Date(open).toISOString();
      sessionOpenPrice = price;
    }
  }
  const change = sessionOpenPrice === null ? null : price - sessionOpenPrice;
  const changePercent = change === null || !sessionOpenPrice ? null : (change / sessionOpenPrice) * 100;
  return { ...row, lastPrice: price, lastTickAt: new Date(atMs).toISOString(), sessionOpenAt, sessionOpenPrice, change, changePercent };
}

/**
 * `rows` after one broadcaster message (the same array when it changes none of them). Messages
 * that are not ticks or signals, or fail their schema, change nothing.
 */
export function applyLiveMessage(rows: readonly ContractSummary[], message: unknown): readonly ContractSummary[] {
  const ticks = tickBatchMessageSchema.safeParse(message);
  if (ticks.success) {
    let newest: { price: number; at: number } | undefined;
    for (const t of ticks.data.ticks) {
      const at = Date.parse(t.timestamp);
      if (Number.isFinite(at) && (!newest || at >= newest.at)) newest = { price: t.price, at };
    }
    if (!newest) return rows;
    const found = newest;
    return replaceRow(rows, ticks.data.contract_id, (row) =>
      row.lastTickAt !== null && Date.parse(row.lastTickAt) > found.at ? row : withPrice(row, found.price, found.at),
    );
  }
  const signal = signalMessageSchema.safeParse(message);
  if (signal.success) {
    const s = signal.data;
    return replaceRow(rows, s.contract_id, (row) =>
      row.lastSignal !== null && Date.parse(row.lastSignal.timestamp) > Date.parse(s.timestamp)
        ? row
        : { ...row, lastSignal: { analyzerId: s.analyzer_id, signalType: s.signal_type, timeframe: s.timeframe, timestamp: s.timestamp } },
    );
  }
  return rows;
}

function replaceRow(
  rows: readonly ContractSummary[],
  contractId: string,
  change: (row: ContractSummary) => ContractSummary,
): readonly ContractSummary[] {
  const i = rows.findIndex((r) => r.contract.id === contractId);
  const row = rows[i];
  if (!row) return rows;
  const next = change(row);
  if (next === row) return rows;
  const out = rows.slice();
  out[i] = next;
  return out;
}

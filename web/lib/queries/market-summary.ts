// Per contract for the overview: last price, change since its session opened (per its session
// calendar), when the last tick arrived and the last signal.
import 'server-only';
import { SessionCalendar, type Timeframe } from '@barstream/core';
import type { WireContract } from '../api/response-schemas.ts';
import { type MarketStatus, marketStatus } from '../market-status.ts';
import { calendarSpec } from '../server/calendars.ts';
import { webConfig } from '../server/config.ts';
import { db } from '../server/db.ts';

export interface LastSignal {
  readonly analyzerId: string;
  readonly signalType: string;
  readonly timeframe: string;
  /** The bar the signal is about, ISO. */
  readonly timestamp: string;
}

export interface ContractSummary {
  readonly contract: WireContract;
  readonly lastPrice: number | null;
  /** ISO time of the last stored trade, or null when the contract has none. */
  readonly lastTickAt: string | null;
  /** ISO instant the current session opened (null without a known calendar). */
  readonly sessionOpenAt: string | null;
  readonly sessionOpenPrice: number | null;
  readonly change: number | null;
  readonly changePercent: number | null;
  readonly lastSignal: LastSignal | null;
  /** Open or closed at render time, and the next open (null: the calendar has no exchange hours). */
  readonly market: MarketStatus | null;
}

/** Open of the session `now` falls in, by the contract's calendar. */
export function currentSessionOpen(contract: WireContract, now: number): number | null {
  if (contract.timezone === null || contract.session_open === null) return null;
  const calendar = new SessionCalendar({
    name: contract.session_calendar,
    timezone: contract.timezone,
    sessionOpen: contract.session_open,
  });
  return calendar.sessionOpen(calendar.tradeDate(now));
}

async function lastTick(contractId: string): Promise<{ price: number; timestamp: Date } | null> {
  return db().tick.findFirst({ where: { contractId }, orderBy: { timestamp: 'desc' }, select: { price: true, timestamp: true } });
}

/** The newest bar's close: the price when no trade is stored (history-only contracts). */
async function lastClose(contractId: string, tf: Timeframe): Promise<number | null> {
  const bar = await db().ohlcBar.findFirst({
    where: { contractId, timeframeUnit: tf.unit, timeframeValue: tf.value },
    orderBy: { timestamp: 'desc' },
    select: { close: true },
  });
  return bar?.close ?? null;
}

/** The first bucket of a session opens with the session's first trade: the earliest bar at or after
 * the open is that bucket. */
async function sessionOpenPrice(contractId: string, tf: Timeframe, openAt: number): Promise<number | null> {
  const bar = await db().ohlcBar.findFirst({
    where: { contractId, timeframeUnit: tf.unit, timeframeValue: tf.value, timestamp: { gte: new Date(openAt) } },
    orderBy: { timestamp: 'asc' },
    select: { open: true },
  });
  return bar?.open ?? null;
}

async function lastSignal(contractId: string): Promise<LastSignal | null> {
  const s = await db().detectedSignal.findFirst({
    where: { contractId },
    orderBy: [{ timestamp: 'desc' }, { signalId: 'desc' }],
    select: { analyzerId: true, signalType: true, timeframe: true, timestamp: true },
  });
  return s ? { analyzerId: s.analyzerId, signalType: s.signalType, timeframe: s.timeframe, timestamp: s.timestamp.toISOString() } : null;
}

/**
 * `priceTimeframe`: whose bars give the session's opening price and, without trades, the last price;
 * the overview passes its finest timeframe of a minute or more (second bars exist only live, so
 * they may not reach back to the open).
 */
export async function contractSummary(contract: WireContract, priceTimeframe: Timeframe, now: number): Promise<ContractSummary> {
  const openAt = currentSessionOpen(contract, now);
  const [tick, close, openPrice, signal] = await Promise.all([
    lastTick(contract.id),
    lastClose(contract.id, priceTimeframe),
    openAt === null ? Promise.resolve(null) : sessionOpenPrice(contract.id, priceTimeframe, openAt),
    lastSignal(contract.id),
  ]);
  const lastPrice = tick?.price ?? close;
  const change = lastPrice !== null && openPrice !== null ? lastPrice - openPrice : null;
  return {
    contract,
    lastPrice,
    lastTickAt: tick?.timestamp.toISOString() ?? null,
    sessionOpenAt: openAt === null ? null : new Date(openAt).toISOString(),
    sessionOpenPrice: openPrice,
    change,
    changePercent: change !== null && openPrice ? (change / openPrice) * 100 : null,
    lastSignal: signal,
    market: marketStatus(calendarSpec(webConfig().settings, contract.session_calendar), now),
  };
}

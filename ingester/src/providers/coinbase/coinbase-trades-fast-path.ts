// The hot path of the feed: a market_trades envelope checked by hand, field by field, with exactly the
// rules of the zod schemas (coinbase-schemas.ts). Anything it does not vouch for returns undefined and goes
// through zod, which accepts it or names what is wrong: the fast path only ever says yes.
import type { Trade } from '@barstream/core';
import { inIdOrder } from './coinbase-sequenced-trades.ts';
import { numberedTradeId } from '../numbered-trade-id.ts';
import { parseRfc3339 } from '../rfc3339-time.ts';

const CHAR_0 = 48;
const CHAR_9 = 57;
const CHAR_DOT = 46;
/** Digits whose integer is exact in a double (< 2^53), so digits / 10^k is the value Number() gives. */
const MAX_EXACT_DIGITS = 15;
const POWERS_OF_TEN = Array.from({ length: MAX_EXACT_DIGITS + 1 }, (_, k) => 10 ** k);

export interface FastTrades {
  readonly sequence: number;
  readonly snapshot: boolean;
  /** In id order; each with the venue's trade id as its tradeId (a number when it is one: numbered-trade-id.ts). */
  readonly trades: Trade[];
  /** Each trade's id as a number, in the same order (`ids[k]` is `trades[k]`'s): compared without its text. */
  readonly ids: readonly number[];
}

/** `json` is a parsed frame; the trades in id order, or undefined when zod must look at it. */
export function fastMarketTrades(json: unknown, products: ReadonlySet<string>): FastTrades | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const { channel, sequence_num: sequence, events, timestamp } = json as Record<string, unknown>;
  if (channel !== 'market_trades' || !Number.isSafeInteger(sequence) || (sequence as number) < 0 || !Array.isArray(events))
    return undefined;
  if (timestamp !== undefined && typeof timestamp !== 'string') return undefined;
  const trades: Trade[] = [];
  let snapshot = false;
  for (const event of events as unknown[]) {
    if (typeof event !== 'object' || event === null) return undefined;
    const { type, trades: raw } = event as Record<string, unknown>;
    if ((type !== 'update' && type !== 'snapshot') || !Array.isArray(raw)) return undefined;
    snapshot ||= type === 'snapshot';
    for (const t of raw as unknown[]) {
      const trade = fastTrade(t, products);
      if (!trade) return undefined;
      trades.push(trade);
    }
  }
  const ids = inIdOrder(trades);
  return { sequence: sequence as number, snapshot, trades, ids };
}

function fastTrade(raw: unknown, products: ReadonlySet<string>): Trade | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { trade_id, product_id, price, size, side, time } = raw as Record<string, unknown>;
  if (typeof trade_id !== 'string' || !allDigits(trade_id)) return undefined;
  if (typeof product_id !== 'string' || !products.has(product_id)) return undefined;
  if (typeof price !== 'string' || typeof size !== 'string') return undefined;
  const p = decimalIn(price, 0, price.length);
  const v = decimalIn(size, 0, size.length);
  if (!(p > 0) || !Number.isFinite(p) || !Number.isFinite(v)) return undefined;
  if (side !== 'BUY' && side !== 'SELL') return undefined;
  if (typeof time !== 'string') return undefined;
  const ms = parseRfc3339(time);
  if (ms === undefined) return undefined;
  return {
    contractId: product_id,
    time: ms,
    price: p,
    volume: v,
    side: side === 'BUY' ? 'buy' : 'sell',
    tradeId: numberedTradeId(trade_id),
  };
}

/** The schema's trade id rule, /^\d+$/, without a regex call per trade. */
function allDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < CHAR_0 || c > CHAR_9) return false;
  }
  return true;
}

/** The schema's decimal (/^\d+(\.\d+)?$/, then Number) of text[start, end) in one pass; NaN when it is
 * not one. Up to 15 digits the integer of the digits is exact, and dividing it by an exact power of ten
 * rounds once: the same double Number() gives. Longer ones go to Number(). */
export function decimalIn(text: string, start: number, end: number): number {
  let mantissa = 0;
  let digits = 0;
  let fraction = -1;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= CHAR_0 && c <= CHAR_9) {
      mantissa = mantissa * 10 + (c - CHAR_0);
      digits++;
      if (fraction >= 0) fraction++;
    } else if (c === CHAR_DOT && fraction < 0 && i > start && i < end - 1) fraction = 0;
    else return NaN;
  }
  if (digits === 0) return NaN;
  if (digits > MAX_EXACT_DIGITS) return Number(text.slice(start, end));
  return mantissa / (POWERS_OF_TEN[fraction < 0 ? 0 : fraction] as number);
}

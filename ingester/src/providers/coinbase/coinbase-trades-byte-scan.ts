// The feed's hottest path: a market_trades frame read straight from its bytes (no string of the frame, no
// JSON.parse) when it is in the form the venue writes it (the documented key order, no whitespace, no
// escapes), so no object is built per key and value and no string per trade (the trade id is the number read, unless its text has a leading zero or 16+ digits). It only ever
// says yes: anything else (another channel, another key order, an escape, an unknown key, a bad field)
// returns undefined and the frame goes through JSON.parse, the fast path and zod, which accept it or name
// what is wrong. What it accepts is valid JSON whose JSON.parse the fast path reads to the same trades
// (coinbase-trades-byte-scan.test.ts checks both on fuzzed frames).
import {
  asciiBytes,
  bytesAt,
  CHAR_0,
  CHAR_9,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COMMA,
  DOT,
  MAX_EXACT_DIGITS,
  plainStringEnd,
  POWERS_OF_TEN,
  QUOTE,
} from '../json-frame-bytes.ts';
import { SubscribedIds } from '../subscribed-ids.ts';
import { UtcTimeBytes } from '../utc-time-bytes.ts';
import type { Trade } from '@barstream/core';
import { inIdOrder } from './coinbase-sequenced-trades.ts';
import { readUtcSeconds } from '../rfc3339-time.ts';
import type { FastTrades } from './coinbase-trades-fast-path.ts';

const HEAD = asciiBytes('{"channel":"market_trades","client_id":"');
const TIMESTAMP = asciiBytes(',"timestamp":"');
const SEQUENCE = asciiBytes(',"sequence_num":');
const EVENTS = asciiBytes(',"events":[');
const UPDATE = asciiBytes('{"type":"update","trades":[');
const SNAPSHOT = asciiBytes('{"type":"snapshot","trades":[');
const TRADE_ID = asciiBytes('{"trade_id":"');
const PRODUCT_ID = asciiBytes('","product_id":"');
const PRICE = asciiBytes('","price":"');
const SIZE = asciiBytes('","size":"');
const SIDE = asciiBytes('","side":"');
const BUY = asciiBytes('BUY","time":"');
const SELL = asciiBytes('SELL","time":"');

const times = new UtcTimeBytes(readUtcSeconds);

/** The frame's trades in id order, or undefined when JSON.parse and the fast path (then zod) must read it. */
export function scanMarketTrades(bytes: Uint8Array, subscribed: ReadonlySet<string>): FastTrades | undefined {
  if (!bytesAt(bytes, 0, HEAD)) return undefined;
  let i = plainStringEnd(bytes, HEAD.length);
  if (i < 0) return undefined;
  i++;
  if (bytesAt(bytes, i, TIMESTAMP)) {
    i = plainStringEnd(bytes, i + TIMESTAMP.length);
    if (i < 0) return undefined;
    i++;
  }
  if (!bytesAt(bytes, i, SEQUENCE)) return undefined;
  i += SEQUENCE.length;
  const sequenceStart = i;
  let sequence = 0;
  for (let c = bytes[i] as number; c >= CHAR_0 && c <= CHAR_9; c = bytes[++i] as number) sequence = sequence * 10 + (c - CHAR_0);
  const sequenceDigits = i - sequenceStart;
  // JSON has no leading zeros: "07" makes JSON.parse throw, so it is not ours to accept.
  if (sequenceDigits === 0 || sequenceDigits > MAX_EXACT_DIGITS) return undefined;
  if (sequenceDigits > 1 && bytes[sequenceStart] === CHAR_0) return undefined;
  if (!bytesAt(bytes, i, EVENTS)) return undefined;
  i += EVENTS.length;
  const products = SubscribedIds.of(subscribed);
  const trades: Trade[] = [];
  const ids: number[] = [];
  let snapshot = false;
  if (bytes[i] === CLOSE_BRACKET) i++;
  else {
    for (;;) {
      if (bytesAt(bytes, i, UPDATE)) i += UPDATE.length;
      else if (bytesAt(bytes, i, SNAPSHOT)) {
        i += SNAPSHOT.length;
        snapshot = true;
      } else return undefined;
      if (bytes[i] === CLOSE_BRACKET) i++;
      else {
        for (;;) {
          i = scanTrade(bytes, i, products, trades, ids);
          if (i < 0) return undefined;
          const c = bytes[i++];
          if (c === CLOSE_BRACKET) break;
          if (c !== COMMA) return undefined;
        }
      }
      if (bytes[i++] !== CLOSE_BRACE) return undefined;
      const c = bytes[i++];
      if (c === CLOSE_BRACKET) break;
      if (c !== COMMA) return undefined;
    }
  }
  if (bytes[i] !== CLOSE_BRACE || i + 1 !== bytes.length) return undefined;
  inIdOrder(trades, ids);
  return { sequence, snapshot, trades, ids };
}

/** Reads one trade object at `start` into `trades`, its id as a number into `ids`; the index after it, or -1
 * when it is not ours to read. */
function scanTrade(bytes: Uint8Array, start: number, products: SubscribedIds, trades: Trade[], ids: number[]): number {
  if (!bytesAt(bytes, start, TRADE_ID)) return -1;
  let i = start + TRADE_ID.length;
  const idStart = i;
  let idValue = 0;
  for (let c = bytes[i] as number; c >= CHAR_0 && c <= CHAR_9; c = bytes[++i] as number) idValue = idValue * 10 + (c - CHAR_0);
  const idDigits = i - idStart;
  if (idDigits === 0 || !bytesAt(bytes, i, PRODUCT_ID)) return -1;
  // The id as the number read when its text is that number's own decimal form (numberedTradeId's rule, so the
  // fast path gives the same trade), else its text as sent ("007" stays "007"); Number() of it past 15 digits.
  const numbered = idDigits <= MAX_EXACT_DIGITS && (idDigits === 1 || bytes[idStart] !== CHAR_0);
  const tradeId = numbered ? idValue : latin1(bytes, idStart, i);
  if (idDigits > MAX_EXACT_DIGITS) idValue = Number(tradeId);
  i += PRODUCT_ID.length;
  let end = plainStringEnd(bytes, i);
  if (end < 0) return -1;
  const productId = products.find(bytes, i, end);
  if (productId === undefined || !bytesAt(bytes, end, PRICE)) return -1;
  i = end + PRICE.length;
  end = quoteFrom(bytes, i);
  const price = decimalIn(bytes, i, end);
  if (!(price > 0) || !Number.isFinite(price) || !bytesAt(bytes, end, SIZE)) return -1;
  i = end + SIZE.length;
  end = quoteFrom(bytes, i);
  const volume = decimalIn(bytes, i, end);
  if (!Number.isFinite(volume) || !bytesAt(bytes, end, SIDE)) return -1;
  i = end + SIDE.length;
  let buy: boolean;
  if (bytesAt(bytes, i, BUY)) {
    buy = true;
    i += BUY.length;
  } else if (bytesAt(bytes, i, SELL)) {
    buy = false;
    i += SELL.length;
  } else return -1;
  end = quoteFrom(bytes, i);
  if (bytes[end + 1] !== CLOSE_BRACE) return -1;
  // An RFC 3339 time has no character JSON escapes, so the bytes the reader accepts are the value itself.
  const time = times.at(bytes, i, end);
  if (Number.isNaN(time)) return -1;
  trades.push({ contractId: productId, time, price, volume, side: buy ? 'buy' : 'sell', tradeId });
  ids.push(idValue);
  return end + 2;
}

/** The index of the next quote from `start`, or the end of the bytes (then no literal matches there). */
function quoteFrom(bytes: Uint8Array, start: number): number {
  let i = start;
  while (i < bytes.length && bytes[i] !== QUOTE) i++;
  return i;
}

/** The schema's decimal (/^\d+(\.\d+)?$/, then Number) of bytes[start, end) in one pass; NaN when it is
 * not one. Up to 15 digits the integer of the digits is exact, and dividing it by an exact power of ten
 * rounds once: the same double Number() gives. Longer ones go to Number(). */
function decimalIn(bytes: Uint8Array, start: number, end: number): number {
  let mantissa = 0;
  let digits = 0;
  let fraction = -1;
  for (let i = start; i < end; i++) {
    const c = bytes[i] as number;
    if (c >= CHAR_0 && c <= CHAR_9) {
      mantissa = mantissa * 10 + (c - CHAR_0);
      digits++;
      if (fraction >= 0) fraction++;
    } else if (c === DOT && fraction < 0 && i > start && i < end - 1) fraction = 0;
    else return NaN;
  }
  if (digits === 0) return NaN;
  if (digits > MAX_EXACT_DIGITS) return Number(latin1(bytes, start, end));
  return mantissa / (POWERS_OF_TEN[fraction < 0 ? 0 : fraction] as number);
}

/** ASCII bytes (digits) as a string. */
function latin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}

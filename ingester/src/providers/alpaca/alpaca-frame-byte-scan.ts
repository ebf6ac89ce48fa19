// The stock stream's hottest path: a frame of trade and quote messages read straight from its bytes (no
// string of the frame, no JSON.parse) when it is in the form the stream writes (no whitespace, no escapes,
// plain numbers, the keys of the trade and quote schemas in any order). It only ever says yes: anything else (a control message, a
// skipped type, an unknown key, an exponent, a bad field) returns undefined and the frame goes through
// JSON.parse, the fast path and zod, which accept it or name what is wrong. What it accepts is valid JSON
// that parseAlpacaFrame's JSON path reads to the same frame (alpaca-frame-byte-scan.test.ts, fuzzed).
import type { Trade } from '@barstream/core';
import {
  CHAR_0,
  CHAR_9,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COMMA,
  DOT,
  MAX_EXACT_DIGITS,
  plainStringEnd as plainStringEndFrom,
  POWERS_OF_TEN,
  QUOTE,
} from '../json-frame-bytes.ts';
import type { Quote } from '../provider.ts';
import { SubscribedIds } from '../subscribed-ids.ts';
import { UtcTimeBytes } from '../utc-time-bytes.ts';
import type { AlpacaFrame } from './alpaca-frame.ts';
import { readUtcSeconds } from '../rfc3339-time.ts';

const COLON = 58;
const OPEN_BRACKET = 91;
const OPEN_BRACE = 123;
const CHAR_T = 116;
const CHAR_Q = 113;
/** The schemas' bound on a symbol's length. */
const MAX_SYMBOL = 32;
const NO_FIELD = -1;
/** Fields.type: no T key yet, "t", "q", anything else. */
const NO_TYPE = 0;
const TRADE = 1;
const QUOTE_TYPE = 2;
const OTHER_TYPE = 3;

/** One message's fields as read: strings as [start, end) of the bytes, numbers as values. Reused. */
class Fields {
  seen = 0;
  type = NO_TYPE;
  symbolStart = NO_FIELD;
  symbolEnd = NO_FIELD;
  id = 0;
  exchange = false;
  price = 0;
  size = 0;
  bidPrice = 0;
  bidSize = 0;
  askPrice = 0;
  askSize = 0;
  timeStart = NO_FIELD;
  timeEnd = NO_FIELD;
  tapeStart = NO_FIELD;
  tapeEnd = NO_FIELD;
}

/** Which key a field is, as a bit of Fields.seen (a key twice is not ours to read: JSON keeps the last). */
const Key = {
  T: 1,
  S: 2,
  I: 4,
  X: 8,
  P: 16,
  Size: 32,
  C: 64,
  Time: 128,
  Z: 256,
  BX: 512,
  BP: 1024,
  BS: 2048,
  AX: 4096,
  AP: 8192,
  AS: 16384,
} as const;
const NOT_A_KEY = 0;
const TRADE_KEYS = Key.T | Key.S | Key.I | Key.X | Key.P | Key.Size | Key.Time;
const QUOTE_KEYS = Key.T | Key.S | Key.BP | Key.BS | Key.AP | Key.AS | Key.Time;

const fields = new Fields();
/** Where the reader is in the bytes (one frame at a time: the parse is synchronous). */
let at = 0;
const times = new UtcTimeBytes(readUtcSeconds);
/** One-byte tapes ('A', 'B', 'C'), by their byte: the id's prefix without a string made per trade. */
const TAPES = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c));

/** The frame's trades and quotes, or undefined when parseAlpacaFrame's JSON path must read it. */
export function scanAlpacaFrame(bytes: Buffer, symbols: ReadonlySet<string> | undefined): AlpacaFrame | undefined {
  if (bytes[0] !== OPEN_BRACKET) return undefined;
  const ids = symbols === undefined ? undefined : SubscribedIds.of(symbols);
  const frame: AlpacaFrame = { trades: [], quotes: [], control: [], rejected: [], skipped: 0 };
  at = 1;
  for (;;) {
    if (!scanMessage(bytes)) return undefined;
    const f = fields;
    if (f.type === TRADE) {
      if ((f.seen & TRADE_KEYS) !== TRADE_KEYS) return undefined;
      const trade = tradeOf(bytes, f, ids);
      if (!trade) return undefined;
      frame.trades.push(trade);
    } else if (f.type === QUOTE_TYPE) {
      if ((f.seen & QUOTE_KEYS) !== QUOTE_KEYS) return undefined;
      const quote = quoteOf(bytes, f, ids);
      if (!quote) return undefined;
      frame.quotes.push(quote);
    } else return undefined;
    const c = bytes[at++];
    if (c === CLOSE_BRACKET) break;
    if (c !== COMMA) return undefined;
  }
  return at === bytes.length ? frame : undefined;
}

/** tradeMessageSchema's rules on what was read (fastAlpacaTrade's, from the bytes). */
function tradeOf(bytes: Buffer, f: Fields, ids: SubscribedIds | undefined): Trade | undefined {
  const symbol = symbolOf(bytes, f, ids);
  if (symbol === undefined || !(f.price > 0)) return undefined;
  const time = times.at(bytes, f.timeStart, f.timeEnd);
  if (Number.isNaN(time)) return undefined;
  // The tape prefixes the id: ids are unique per symbol within a tape, not across tapes.
  const tradeId = f.tapeEnd > f.tapeStart ? `${tapeOf(bytes, f)}${f.id}` : String(f.id);
  return { contractId: symbol, time, price: f.price, volume: f.size, side: 'unknown', tradeId };
}

/** quoteMessageSchema's rules on what was read; 0 is how Alpaca says a side of the book is empty. */
function quoteOf(bytes: Buffer, f: Fields, ids: SubscribedIds | undefined): Quote | undefined {
  const symbol = symbolOf(bytes, f, ids);
  if (symbol === undefined) return undefined;
  const time = times.at(bytes, f.timeStart, f.timeEnd);
  if (Number.isNaN(time)) return undefined;
  return {
    contractId: symbol,
    time,
    bestBid: f.bidPrice > 0 ? f.bidPrice : undefined,
    bestAsk: f.askPrice > 0 ? f.askPrice : undefined,
  };
}

/** The symbol read, when the schema takes it (1–32 characters) and it is subscribed (any, without `ids`). */
function symbolOf(bytes: Buffer, f: Fields, ids: SubscribedIds | undefined): string | undefined {
  const symbol = ids ? ids.find(bytes, f.symbolStart, f.symbolEnd) : bytes.toString('utf8', f.symbolStart, f.symbolEnd);
  return symbol !== undefined && symbol.length > 0 && symbol.length <= MAX_SYMBOL ? symbol : undefined;
}

function tapeOf(bytes: Buffer, f: Fields): string {
  const c = bytes[f.tapeStart] as number;
  return f.tapeEnd === f.tapeStart + 1 && c < TAPES.length ? (TAPES[c] as string) : bytes.toString('utf8', f.tapeStart, f.tapeEnd);
}

/** Reads one message object at `at` into `fields`; false when it is not ours to read. */
function scanMessage(bytes: Buffer): boolean {
  const f = fields;
  f.seen = 0;
  f.type = NO_TYPE;
  f.tapeStart = f.tapeEnd = NO_FIELD;
  if (bytes[at++] !== OPEN_BRACE) return false;
  for (;;) {
    if (bytes[at] !== QUOTE) return false;
    const c1 = bytes[at + 1];
    let key: number;
    if (bytes[at + 2] === QUOTE) {
      at += 3;
      // prettier-ignore
      switch (c1) {
        case 84: key = Key.T; break; // T
        case 83: key = Key.S; break; // S
        case 105: key = Key.I; break; // i
        case 120: key = Key.X; break; // x
        case 112: key = Key.P; break; // p
        case 115: key = Key.Size; break; // s
        case 99: key = Key.C; break; // c
        case 116: key = Key.Time; break; // t
        case 122: key = Key.Z; break; // z
        default: return false;
      }
    } else if (bytes[at + 3] === QUOTE) {
      const c2 = bytes[at + 2];
      at += 4;
      if (c1 === 98 /* b */) key = c2 === 120 ? Key.BX : c2 === 112 ? Key.BP : c2 === 115 ? Key.BS : NOT_A_KEY;
      else if (c1 === 97 /* a */) key = c2 === 120 ? Key.AX : c2 === 112 ? Key.AP : c2 === 115 ? Key.AS : NOT_A_KEY;
      else return false;
      if (key === NOT_A_KEY) return false;
    } else return false;
    if ((f.seen & key) !== 0 || bytes[at++] !== COLON) return false;
    f.seen |= key;
    if (!scanValue(bytes, key, f)) return false;
    const c = bytes[at++];
    if (c === CLOSE_BRACE) return true;
    if (c !== COMMA) return false;
  }
}

function scanValue(bytes: Buffer, key: number, f: Fields): boolean {
  switch (key) {
    case Key.T: {
      const end = plainStringEnd(bytes);
      if (end < 0) return false;
      const c = bytes[at + 1];
      f.type = end !== at + 2 ? OTHER_TYPE : c === CHAR_T ? TRADE : c === CHAR_Q ? QUOTE_TYPE : OTHER_TYPE;
      at = end + 1;
      return true;
    }
    case Key.S: {
      const end = plainStringEnd(bytes);
      if (end < 0) return false;
      f.symbolStart = at + 1;
      f.symbolEnd = end;
      at = end + 1;
      return true;
    }
    case Key.X:
    case Key.BX:
    case Key.AX: {
      const end = plainStringEnd(bytes);
      at = end + 1;
      return end >= 0;
    }
    case Key.Z: {
      const end = plainStringEnd(bytes);
      f.tapeStart = at + 1;
      f.tapeEnd = end;
      at = end + 1;
      return end >= 0;
    }
    case Key.Time: {
      // An RFC-3339 time has no character JSON escapes: the time reader decides on the bytes themselves.
      if (bytes[at] !== QUOTE) return false;
      let end = at + 1;
      while (end < bytes.length && bytes[end] !== QUOTE) end++;
      if (end === bytes.length) return false;
      f.timeStart = at + 1;
      f.timeEnd = end;
      at = end + 1;
      return true;
    }
    case Key.C:
      return scanStrings(bytes);
    case Key.I: {
      const id = plainNumber(bytes);
      // z.int().nonnegative(): an integer (no fraction) of at most 15 digits, which is safe.
      if (!(id >= 0) || !Number.isInteger(id)) return false;
      f.id = id;
      return true;
    }
    default: {
      const value = plainNumber(bytes);
      if (!(value >= 0)) return false;
      if (key === Key.P) f.price = value;
      else if (key === Key.Size) f.size = value;
      else if (key === Key.BP) f.bidPrice = value;
      else if (key === Key.BS) f.bidSize = value;
      else if (key === Key.AP) f.askPrice = value;
      else f.askSize = value;
      return true;
    }
  }
}

/** A non-negative JSON number without exponent at `at` (digits, no leading zero, an optional fraction),
 * as JSON.parse gives it; NaN when it is anything else (the JSON way reads it). */
function plainNumber(bytes: Buffer): number {
  const start = at;
  let mantissa = 0;
  let digits = 0;
  let c = bytes[at] as number;
  while (c >= CHAR_0 && c <= CHAR_9) {
    mantissa = mantissa * 10 + (c - CHAR_0);
    digits++;
    c = bytes[++at] as number;
  }
  if (digits === 0 || (digits > 1 && bytes[start] === CHAR_0)) return NaN;
  let fraction = 0;
  if (c === DOT) {
    c = bytes[++at] as number;
    while (c >= CHAR_0 && c <= CHAR_9) {
      mantissa = mantissa * 10 + (c - CHAR_0);
      digits++;
      fraction++;
      c = bytes[++at] as number;
    }
    if (fraction === 0) return NaN;
  }
  if (digits > MAX_EXACT_DIGITS) return NaN;
  return mantissa / (POWERS_OF_TEN[fraction] as number);
}

/** z.array(z.string()) of plain strings at `at`. */
function scanStrings(bytes: Buffer): boolean {
  if (bytes[at++] !== OPEN_BRACKET) return false;
  if (bytes[at] === CLOSE_BRACKET) {
    at++;
    return true;
  }
  for (;;) {
    const end = plainStringEnd(bytes);
    if (end < 0) return false;
    at = end + 1;
    const c = bytes[at++];
    if (c === CLOSE_BRACKET) return true;
    if (c !== COMMA) return false;
  }
}

/** The index of the closing quote of a JSON string opening at `at`, or -1 when there is none or the
 * string holds an escape or a control character (JSON.parse would decode or refuse them). */
function plainStringEnd(bytes: Buffer): number {
  return bytes[at] === QUOTE ? plainStringEndFrom(bytes, at + 1) : -1;
}

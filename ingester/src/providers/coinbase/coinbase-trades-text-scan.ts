// The feed's hottest path before JSON.parse: a market_trades frame read straight from its text when it is
// in the form the venue writes it (the documented key order, no whitespace, no escapes), so no object is
// built per key and value. It only ever says yes: anything else (another channel, another key order, an
// escape, an unknown key, a bad field) returns undefined and the frame goes through JSON.parse, the fast
// path and zod, which accept it or name what is wrong. What it accepts is valid JSON whose JSON.parse the
// fast path reads to the same trades (coinbase-trades-text-scan.test.ts checks both on fuzzed frames).
import type { SequencedTrade } from './coinbase-sequenced-trade.ts';
import { rfc3339In } from './coinbase-time.ts';
import { type FastTrades, decimalIn, inIdOrder } from './coinbase-trades-fast-path.ts';

const HEAD = '{"channel":"market_trades","client_id":"';
const TIMESTAMP = ',"timestamp":"';
const SEQUENCE = ',"sequence_num":';
const EVENTS = ',"events":[';
const UPDATE = '{"type":"update","trades":[';
const SNAPSHOT = '{"type":"snapshot","trades":[';
const TRADE_ID = '{"trade_id":"';
const PRODUCT_ID = '","product_id":"';
const PRICE = '","price":"';
const SIZE = '","size":"';
const SIDE = '","side":"';
const BUY = 'BUY","time":"';
const SELL = 'SELL","time":"';

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const CLOSE_BRACKET = 93;
const CLOSE_BRACE = 125;
const CHAR_0 = 48;
const CHAR_9 = 57;
/** Below this a character must be escaped in a JSON string: raw, JSON.parse throws. */
const FIRST_PLAIN_CHAR = 32;
/** Digits whose integer is exact in a double: a sequence number longer than this goes the JSON way. */
const MAX_EXACT_DIGITS = 15;

/** The product of the trade read last (an id of `products`, plain). */
let lastProduct = '';

/** The frame's trades in id order, or undefined when JSON.parse and the fast path (then zod) must read it. */
export function scanMarketTrades(text: string, products: ReadonlySet<string>): FastTrades | undefined {
  if (!text.startsWith(HEAD)) return undefined;
  let i = plainStringEnd(text, HEAD.length);
  if (i < 0) return undefined;
  if (text.startsWith(TIMESTAMP, i)) {
    i = plainStringEnd(text, i + TIMESTAMP.length);
    if (i < 0) return undefined;
  }
  if (!text.startsWith(SEQUENCE, i)) return undefined;
  i += SEQUENCE.length;
  const sequenceStart = i;
  let sequence = 0;
  for (let c = text.charCodeAt(i); c >= CHAR_0 && c <= CHAR_9; c = text.charCodeAt(++i)) sequence = sequence * 10 + (c - CHAR_0);
  const sequenceDigits = i - sequenceStart;
  // JSON has no leading zeros: "07" makes JSON.parse throw, so it is not ours to accept.
  if (sequenceDigits === 0 || sequenceDigits > MAX_EXACT_DIGITS) return undefined;
  if (sequenceDigits > 1 && text.charCodeAt(sequenceStart) === CHAR_0) return undefined;
  if (!text.startsWith(EVENTS, i)) return undefined;
  i += EVENTS.length;
  const trades: SequencedTrade[] = [];
  let snapshot = false;
  if (text.charCodeAt(i) === CLOSE_BRACKET) i++;
  else {
    for (;;) {
      if (text.startsWith(UPDATE, i)) i += UPDATE.length;
      else if (text.startsWith(SNAPSHOT, i)) {
        i += SNAPSHOT.length;
        snapshot = true;
      } else return undefined;
      if (text.charCodeAt(i) === CLOSE_BRACKET) i++;
      else {
        for (;;) {
          i = scanTrade(text, i, products, trades);
          if (i < 0) return undefined;
          const c = text.charCodeAt(i++);
          if (c === CLOSE_BRACKET) break;
          if (c !== COMMA) return undefined;
        }
      }
      if (text.charCodeAt(i++) !== CLOSE_BRACE) return undefined;
      const c = text.charCodeAt(i++);
      if (c === CLOSE_BRACKET) break;
      if (c !== COMMA) return undefined;
    }
  }
  if (text.charCodeAt(i) !== CLOSE_BRACE || i + 1 !== text.length) return undefined;
  return { sequence, snapshot, trades: inIdOrder(trades) };
}

/** Reads one trade object at `start` into `trades`; the index after it, or -1 when it is not ours to read. */
function scanTrade(text: string, start: number, products: ReadonlySet<string>, trades: SequencedTrade[]): number {
  if (!text.startsWith(TRADE_ID, start)) return -1;
  let i = start + TRADE_ID.length;
  const idStart = i;
  let idValue = 0;
  for (let c = text.charCodeAt(i); c >= CHAR_0 && c <= CHAR_9; c = text.charCodeAt(++i)) idValue = idValue * 10 + (c - CHAR_0);
  if (i === idStart || !text.startsWith(PRODUCT_ID, i)) return -1;
  const tradeId = text.slice(idStart, i);
  // Number() of the id, as the fast path takes it: exact up to 15 digits, Number() past that.
  if (i - idStart > MAX_EXACT_DIGITS) idValue = Number(tradeId);
  i += PRODUCT_ID.length;
  let end = text.indexOf('"', i);
  if (end < 0) return -1;
  // A frame's trades are mostly of one product: the last one read is tried first, without cutting it out.
  let productId = lastProduct;
  if (end - i !== productId.length || !text.startsWith(productId, i) || !products.has(productId)) {
    productId = text.slice(i, end);
    // The text's characters are the value's only when nothing in it is escaped (or would have to be).
    if (!products.has(productId) || !isPlain(productId)) return -1;
    lastProduct = productId;
  }
  if (!text.startsWith(PRICE, end)) return -1;
  i = end + PRICE.length;
  end = text.indexOf('"', i);
  const price = end < 0 ? NaN : decimalIn(text, i, end);
  if (!(price > 0) || !Number.isFinite(price) || !text.startsWith(SIZE, end)) return -1;
  i = end + SIZE.length;
  end = text.indexOf('"', i);
  const volume = end < 0 ? NaN : decimalIn(text, i, end);
  if (!Number.isFinite(volume) || !text.startsWith(SIDE, end)) return -1;
  i = end + SIDE.length;
  let buy: boolean;
  if (text.startsWith(BUY, i)) {
    buy = true;
    i += BUY.length;
  } else if (text.startsWith(SELL, i)) {
    buy = false;
    i += SELL.length;
  } else return -1;
  end = text.indexOf('"', i);
  if (end < 0 || text.charCodeAt(end + 1) !== CLOSE_BRACE) return -1;
  // An RFC 3339 time has no character JSON escapes, so the text the reader accepts is the value itself.
  const time = rfc3339In(text, i, end);
  if (time === undefined) return -1;
  trades.push({
    tradeId: idValue,
    trade: { contractId: productId, time, price, volume, side: buy ? 'buy' : 'sell', tradeId },
  });
  return end + 2;
}

/** The index after a JSON string's closing quote whose content starts at `start`, or -1 when the string
 * holds an escape or a control character (JSON.parse would decode or refuse them: not ours to read). */
function plainStringEnd(text: string, start: number): number {
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH || c < FIRST_PLAIN_CHAR) return -1;
  }
  return -1;
}

function isPlain(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === BACKSLASH || c < FIRST_PLAIN_CHAR) return false;
  }
  return true;
}

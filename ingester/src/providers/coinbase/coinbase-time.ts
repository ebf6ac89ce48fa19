// Coinbase's RFC 3339 times (up to nanoseconds) → epoch ms, fractional down to the microsecond.
import { UtcSecondCache } from '../utc-second-cache.ts';

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;
const SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
/** 'YYYY-MM-DDTHH:MM:SS' */
const SECONDS_CHARS = 19;
const CHAR_T = 84;
const CHAR_Z = 90;
const CHAR_DOT = 46;
const CHAR_0 = 48;

/** undefined when `text` is not an RFC 3339 time; digits past the microsecond are dropped (ticks keep µs).
 * The venue's own form (UTC, `Z`) is read by hand, one call per trade being the feed's hot path. */
export function rfc3339ToEpochMs(text: string): number | undefined {
  return rfc3339In(text, 0, text.length);
}

/** rfc3339ToEpochMs of text[start, end), without cutting it out in the venue's own form. */
export function rfc3339In(text: string, start: number, end: number): number | undefined {
  const n = end - start;
  if (n < SECONDS_CHARS + 1 || text.charCodeAt(end - 1) !== CHAR_Z || text.charCodeAt(start + 10) !== CHAR_T)
    return general(text.slice(start, end));
  const whole = seconds.at(text, start);
  if (whole === undefined) return undefined;
  if (n === SECONDS_CHARS + 1) return whole;
  const digits = n - SECONDS_CHARS - 2;
  if (text.charCodeAt(start + SECONDS_CHARS) !== CHAR_DOT || digits > 9 || digits < 1) return general(text.slice(start, end));
  let micros = 0;
  for (let i = start + SECONDS_CHARS + 1, k = 0; i < end - 1; i++, k++) {
    const digit = text.charCodeAt(i) - CHAR_0;
    if (digit < 0 || digit > 9) return undefined;
    if (k < 6) micros = micros * 10 + digit;
  }
  for (let k = digits; k < 6; k++) micros *= 10;
  return whole + micros / 1000;
}

/** Any offset: the regex, then Date.parse. */
function general(text: string): number | undefined {
  const match = RFC3339.exec(text);
  if (!match) return undefined;
  const [, seconds, fraction = '', zone] = match;
  const whole = Date.parse(`${seconds}${zone}`);
  if (!Number.isFinite(whole)) return undefined;
  return whole + Number(fraction.padEnd(6, '0').slice(0, 6)) / 1000;
}

/** 'YYYY-MM-DDTHH:MM:SS' in UTC → epoch ms; undefined when it is not a valid time. */
export function readCoinbaseSeconds(text: string): number | undefined {
  const ms = SECONDS.test(text) ? Date.parse(`${text}Z`) : NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

const seconds = new UtcSecondCache(readCoinbaseSeconds);

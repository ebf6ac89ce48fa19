// The venues' RFC 3339 times (Coinbase's and Alpaca's: nanosecond fractions, "Z" or an offset) → epoch ms,
// microseconds kept as the fraction. One reader for both, with the strict date check (a day the month has,
// hours below 24): Coinbase's used to go through Date.parse, which takes Feb 30 as Mar 1 and 24:00.
import { UtcSecondCache } from './utc-second-cache.ts';

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;
/** 'YYYY-MM-DDTHH:MM:SS' */
const SECONDS_CHARS = 19;
const MAX_FRACTION_DIGITS = 9;
const MICRO_DIGITS = 6;
const CHAR_Z = 90;
const CHAR_DOT = 46;
const CHAR_0 = 48;

/** Epoch ms of `text`, fractional down to the microsecond (Trade.time's resolution); undefined when
 * it is not an RFC-3339 date-time. Date.parse would drop everything past the millisecond.
 * The venues' own form (UTC, `Z`, nanoseconds) is read by hand, one call per trade being the feeds'
 * hot path: its minute goes through the general reading once and is remembered, since consecutive
 * trades mostly share it; only the seconds and the fraction are read per trade. */
export function parseRfc3339(text: string): number | undefined {
  return parseRfc3339In(text, 0, text.length);
}

/** parseRfc3339 of text[start, end), without cutting it out in the venues' own form. */
export function parseRfc3339In(text: string, start: number, end: number): number | undefined {
  const n = end - start;
  if (n <= SECONDS_CHARS || text.charCodeAt(end - 1) !== CHAR_Z) return general(text.slice(start, end));
  const whole = seconds.at(text, start);
  if (whole === undefined) return undefined;
  if (n === SECONDS_CHARS + 1) return whole;
  const digits = n - SECONDS_CHARS - 2;
  if (text.charCodeAt(start + SECONDS_CHARS) !== CHAR_DOT || digits < 1 || digits > MAX_FRACTION_DIGITS)
    return general(text.slice(start, end));
  let micros = 0;
  for (let i = start + SECONDS_CHARS + 1, k = 0; i < end - 1; i++, k++) {
    const digit = text.charCodeAt(i) - CHAR_0;
    if (digit < 0 || digit > 9) return undefined;
    if (k < MICRO_DIGITS) micros = micros * 10 + digit;
  }
  for (let k = digits; k < MICRO_DIGITS; k++) micros *= 10;
  return whole + micros / 1000;
}

/** The regex, any offset. */
function general(text: string): number | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, fraction = '', zone = 'Z'] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return undefined;
  let ms = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s));
  if (new Date(ms).getUTCDate() !== day) return undefined;
  // Microseconds as an integer count, so 0.335689 ms is exact to the µs and never a float artefact.
  const micros = Number(fraction.padEnd(MICRO_DIGITS, '0').slice(0, MICRO_DIGITS));
  if (zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  }
  return ms + micros / 1000;
}

/** 'YYYY-MM-DDTHH:MM:SS' read as the general form with 'Z'; undefined when it is not a valid time. */
export function readUtcSeconds(text: string): number | undefined {
  return general(`${text}Z`);
}

const seconds = new UtcSecondCache(readUtcSeconds);

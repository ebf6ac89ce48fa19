// Coinbase's RFC 3339 times (up to nanoseconds) → epoch ms, fractional down to the microsecond.

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;
const SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
const CHAR_T = 84;
const CHAR_Z = 90;
const CHAR_DOT = 46;
const CHAR_0 = 48;

/** undefined when `text` is not an RFC 3339 time; digits past the microsecond are dropped (ticks keep µs).
 * The venue's own form (UTC, `Z`) is read by hand, one call per trade being the feed's hot path. */
export function rfc3339ToEpochMs(text: string): number | undefined {
  const n = text.length;
  if (n < 20 || text.charCodeAt(n - 1) !== CHAR_Z || text.charCodeAt(10) !== CHAR_T) return general(text);
  const whole = utcSeconds(text.substring(0, 19));
  if (whole === undefined) return undefined;
  if (n === 20) return whole;
  if (text.charCodeAt(19) !== CHAR_DOT || n - 21 > 9 || n - 21 < 1) return general(text);
  let micros = 0;
  for (let i = 20, k = 0; i < n - 1; i++, k++) {
    const digit = text.charCodeAt(i) - CHAR_0;
    if (digit < 0 || digit > 9) return undefined;
    if (k < 6) micros = micros * 10 + digit;
  }
  for (let k = n - 21; k < 6; k++) micros *= 10;
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

/** 'YYYY-MM-DDTHH:MM:SS' in UTC → epoch ms, remembering the last one: a batch of trades mostly shares its
 * second, and checking and parsing it is most of the cost of a time. */
let lastSeconds = '';
let lastSecondsMs: number | undefined;
function utcSeconds(text: string): number | undefined {
  if (text !== lastSeconds) {
    lastSeconds = text;
    const ms = SECONDS.test(text) ? Date.parse(`${text}Z`) : NaN;
    lastSecondsMs = Number.isFinite(ms) ? ms : undefined;
  }
  return lastSecondsMs;
}

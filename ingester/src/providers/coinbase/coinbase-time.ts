// Coinbase's RFC 3339 times (up to nanoseconds) → epoch ms, fractional down to the microsecond.

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** undefined when `text` is not an RFC 3339 time; digits past the microsecond are dropped (ticks keep µs). */
export function rfc3339ToEpochMs(text: string): number | undefined {
  const match = RFC3339.exec(text);
  if (!match) return undefined;
  const [, seconds, fraction = '', zone] = match;
  const whole = wholeSeconds(`${seconds}${zone}`);
  if (!Number.isFinite(whole)) return undefined;
  const micros = Number(fraction.padEnd(6, '0').slice(0, 6));
  return whole + micros / 1000;
}

/** Date.parse of the last whole second asked for: a batch of trades mostly shares its second, and the
 * parse is most of the cost of a time. */
let lastSecond = '';
let lastSecondMs = NaN;
function wholeSeconds(text: string): number {
  if (text !== lastSecond) {
    lastSecond = text;
    lastSecondMs = Date.parse(text);
  }
  return lastSecondMs;
}

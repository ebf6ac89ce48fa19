// Alpaca's RFC-3339 timestamps (nanosecond fractions, "Z" or an offset) → epoch ms, microseconds kept as the fraction.

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Epoch ms of `text`, fractional down to the microsecond (Trade.time's resolution); undefined when
 * it is not an RFC-3339 date-time. Date.parse would drop everything past the millisecond. */
export function parseAlpacaTime(text: string): number | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, fraction = '', zone = 'Z'] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return undefined;
  let ms = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s));
  if (new Date(ms).getUTCDate() !== day) return undefined;
  // Microseconds as an integer count, so 0.335689 ms is exact to the µs and never a float artefact.
  const micros = Number(fraction.padEnd(6, '0').slice(0, 6));
  if (zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  }
  return ms + micros / 1000;
}

/** Epoch ms → RFC-3339 with milliseconds, the form Alpaca's REST start/end accept. */
export function formatAlpacaTime(ms: number): string {
  return new Date(Math.floor(ms)).toISOString();
}

// ProjectX timestamps (ISO-8601 with up to 7 fractional digits and an offset) → epoch ms with microseconds.
const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * '2025-05-07T14:30:01.1234567+00:00' → 1746628201123.457: epoch milliseconds as a float whose three
 * decimals are the microseconds (the resolution Postgres keeps). .NET writes 100 ns ticks (7 digits),
 * which `Date.parse` would cut to milliseconds. Returns undefined for anything that is not a valid
 * instant with an explicit offset: a time without one would be silently read in the host's zone.
 */
export function parseProjectXTimestamp(text: string): number | undefined {
  const m = ISO_WITH_OFFSET.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const wholeMs = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 31 April over to 1 May: a round trip catches impossible dates.
  if (new Date(wholeMs).getUTCDate() !== day) return undefined;
  const offsetMs = parseOffsetMs(m[8] as string);
  if (offsetMs === undefined) return undefined;
  const fraction = m[7] ?? '';
  // Microseconds, rounded half up from the 7th digit on: integer arithmetic, no float drift.
  const micros = Math.round(Number(`${fraction.padEnd(9, '0').slice(0, 6)}.${fraction.padEnd(9, '0').slice(6)}`));
  return ((wholeMs - offsetMs) * 1000 + micros) / 1000;
}

function parseOffsetMs(zone: string): number | undefined {
  if (zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4));
  if (hours > 23 || minutes > 59) return undefined;
  return sign * (hours * 60 + minutes) * 60_000;
}

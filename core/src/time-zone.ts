// Time-zone offsets through Intl: the one place that converts exchange-local wall time to UTC.
import { DAY_MS } from './time.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The last second asked about per zone (its start, epoch ms), and its offset. */
interface LastOffset {
  second: number;
  offset: number;
}
const lastOffsets = new Map<string, LastOffset>();

/** Offset of local wall time from UTC at instant `ms` (local = utc + offset). It depends only on the
 * second `ms` falls in (the formatted parts stop at seconds), so the last second's answer per zone is
 * kept: formatToParts costs ~5 µs, and a live stream asks about the same second many times over (a
 * stock's after-hours trades, or trades in CME's daily break, each look up a daily bar that is not
 * there). */
export function zoneOffsetMs(timeZone: string, ms: number): number {
  if (timeZone === 'UTC') return 0;
  // The start of ms's second, computed as it always was (the key and the subtrahend stay the same number).
  const second = ms - (((ms % 1000) + 1000) % 1000);
  // Before 1970 a fractional ms is truncated by Intl towards the later second: not kept, as it was.
  const last = ms >= 0 ? lastOffsets.get(timeZone) : undefined;
  if (last !== undefined && last.second === second) return last.offset;
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(ms)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  const offset = asUtc - second;
  if (ms < 0) return offset;
  if (last === undefined) lastOffsets.set(timeZone, { second, offset });
  else {
    last.second = second;
    last.offset = offset;
  }
  return offset;
}

/** UTC instant of a local wall time: `localDate` is that date's 00:00 UTC in ms. */
export function localTimeToUtc(timeZone: string, localDate: number, minutesOfDay: number): number {
  const wall = localDate + minutesOfDay * 60_000;
  const first = zoneOffsetMs(timeZone, wall);
  const guess = wall - first;
  const second = zoneOffsetMs(timeZone, guess);
  return second === first ? guess : wall - second;
}

/** Local calendar date (as 00:00 UTC ms of that date) and minutes after local midnight. */
export function localDateAndMinutes(timeZone: string, ms: number): { date: number; minutes: number } {
  const local = ms + zoneOffsetMs(timeZone, ms);
  const date = Math.floor(local / DAY_MS) * DAY_MS;
  return { date, minutes: (local - date) / 60_000 };
}

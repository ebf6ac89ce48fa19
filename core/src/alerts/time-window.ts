// Time-of-day window of a rule: an IANA time zone, HH:MM ranges (a range may cross midnight) and weekdays.
import { z } from 'zod';
import { expected } from '../config/config-messages.ts';
import { DAY_MS } from '../time.ts';
import { isValidTimeZone, zoneOffsetMs } from '../time-zone.ts';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const RANGE_RE = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;
const RANGE_TEXT = 'a range of local times like 08:30-15:00 (22:00-02:00 crosses midnight)';

/** One range in minutes after local midnight: start inclusive, end exclusive; end < start crosses midnight. */
export interface MinuteRange {
  readonly start: number;
  readonly end: number;
}

const rangeSchema = z
  .string({ error: expected(RANGE_TEXT) })
  .refine(
    (text) => {
      const m = RANGE_RE.exec(text);
      if (m === null) return false;
      const end = Number(m[3]) * 60 + Number(m[4]);
      return end <= 24 * 60 && Number(m[1]) * 60 + Number(m[2]) !== end;
    },
    { error: expected(RANGE_TEXT) },
  )
  .transform((text): MinuteRange => {
    const m = RANGE_RE.exec(text)!;
    return { start: Number(m[1]) * 60 + Number(m[2]), end: Number(m[3]) * 60 + Number(m[4]) };
  });

export const timeWindowSchema = z.strictObject({
  timezone: z.string().refine(isValidTimeZone, { error: expected('an IANA time zone like America/Chicago or UTC') }),
  ranges: z
    .array(rangeSchema)
    .min(1)
    .default([{ start: 0, end: 24 * 60 }]),
  weekdays: z
    .array(z.enum(WEEKDAYS))
    .min(1)
    .default([...WEEKDAYS]),
});
export type TimeWindow = z.output<typeof timeWindowSchema>;

/** The last offset asked for per zone: every rule with a window asks about the same instant per event. */
const lastOffset = new Map<string, { ms: number; offset: number }>();

function offsetAt(timeZone: string, ms: number): number {
  const last = lastOffset.get(timeZone);
  if (last !== undefined && last.ms === ms) return last.offset;
  const offset = zoneOffsetMs(timeZone, ms);
  lastOffset.set(timeZone, { ms, offset });
  return offset;
}

/**
 * Whether instant `ms` lies in the window. The local wall time and weekday come from the zone's offset
 * at that instant (DST-aware). A range crossing midnight (22:00-02:00) belongs to the weekday it
 * starts on: Friday 22:00-02:00 covers Friday 22:00 to Saturday 02:00 local.
 */
export function inTimeWindow(window: TimeWindow, ms: number): boolean {
  const local = ms + offsetAt(window.timezone, ms);
  const dayIndex = Math.floor(local / DAY_MS);
  const minute = Math.floor((local - dayIndex * DAY_MS) / 60_000);
  // 1970-01-01 was a Thursday (index 4).
  const weekday = WEEKDAYS[(((dayIndex + 4) % 7) + 7) % 7]!;
  const previous = WEEKDAYS[(((dayIndex + 3) % 7) + 7) % 7]!;
  for (const { start, end } of window.ranges) {
    if (start < end) {
      if (minute >= start && minute < end && window.weekdays.includes(weekday)) return true;
    } else {
      if (minute >= start && window.weekdays.includes(weekday)) return true;
      if (minute < end && window.weekdays.includes(previous)) return true;
    }
  }
  return false;
}

// Session calendar: which trade date a timestamp belongs to and where each timeframe's bucket lies.
import { ConfigError } from './errors.ts';
import { DAY_MS, HOUR_MS } from './time.ts';
import { fixedLengthMs, type Timeframe, TimeframeUnit } from './timeframe.ts';
import { isValidTimeZone, localDateAndMinutes, localTimeToUtc } from './time-zone.ts';

export interface SessionCalendarSpec {
  readonly name: string;
  readonly timezone: string;
  /** Local wall time the session opens, 'HH:MM'. At or after noon it opens the evening before the trade date. */
  readonly sessionOpen: string;
}

/** A bar's place in time: `time` labels it (bar open time, daily bars carry their trade date at
 * 00:00 UTC); trades at `from` <= t < `to` belong to it. */
export interface Bucket {
  readonly time: number;
  readonly from: number;
  readonly to: number;
}

const WEEK_ANCHOR_MONDAY = Date.UTC(1970, 0, 5);

export class SessionCalendar {
  readonly name: string;
  readonly timezone: string;
  private readonly openMinutes: number;
  private readonly opensEveningBefore: boolean;

  constructor(spec: SessionCalendarSpec) {
    const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(spec.sessionOpen);
    if (!match) throw new ConfigError(`session calendar ${spec.name}: session_open '${spec.sessionOpen}' is not HH:MM`);
    if (!isValidTimeZone(spec.timezone)) throw new ConfigError(`session calendar ${spec.name}: unknown timezone '${spec.timezone}'`);
    this.name = spec.name;
    this.timezone = spec.timezone;
    this.openMinutes = Number(match[1]) * 60 + Number(match[2]);
    this.opensEveningBefore = this.openMinutes >= 12 * 60;
  }

  /** Trade date of instant `ms`, as 00:00 UTC of that date. */
  tradeDate(ms: number): number {
    const { date, minutes } = localDateAndMinutes(this.timezone, ms);
    if (this.opensEveningBefore) return minutes >= this.openMinutes ? date + DAY_MS : date;
    return minutes >= this.openMinutes ? date : date - DAY_MS;
  }

  /** UTC instant the session of trade date `tradeDate` opens. */
  sessionOpen(tradeDate: number): number {
    const localDate = this.opensEveningBefore ? tradeDate - DAY_MS : tradeDate;
    return localTimeToUtc(this.timezone, localDate, this.openMinutes);
  }

  bucket(ms: number, tf: Timeframe): Bucket {
    const length = fixedLengthMs(tf);
    if (length !== undefined) return this.intradayBucket(ms, length);
    const date = this.tradeDate(ms);
    switch (tf.unit) {
      case TimeframeUnit.day: {
        const first = Math.floor(date / DAY_MS / tf.value) * tf.value * DAY_MS;
        return this.dateRange(first, first + tf.value * DAY_MS);
      }
      case TimeframeUnit.week: {
        const span = 7 * DAY_MS * tf.value;
        const first = WEEK_ANCHOR_MONDAY + Math.floor((date - WEEK_ANCHOR_MONDAY) / span) * span;
        return this.dateRange(first, first + span);
      }
      default: {
        const d = new Date(date);
        const monthIndex = d.getUTCFullYear() * 12 + d.getUTCMonth();
        const firstIndex = Math.floor(monthIndex / tf.value) * tf.value;
        const first = Date.UTC(Math.floor(firstIndex / 12), firstIndex % 12, 1);
        const next = Date.UTC(Math.floor((firstIndex + tf.value) / 12), (firstIndex + tf.value) % 12, 1);
        return this.dateRange(first, next);
      }
    }
  }

  private dateRange(firstDate: number, endDate: number): Bucket {
    return { time: firstDate, from: this.sessionOpen(firstDate), to: this.sessionOpen(endDate) };
  }

  /** Under an hour: aligned to the epoch. An hour or longer: anchored at the session open and
   * cut at the next session's open, so 4h bars start 22, 02, 06 … UTC on CME in summer. */
  private intradayBucket(ms: number, length: number): Bucket {
    if (length < HOUR_MS) {
      const from = Math.floor(ms / length) * length;
      return { time: from, from, to: from + length };
    }
    const date = this.tradeDate(ms);
    const open = this.sessionOpen(date);
    const from = open + Math.floor((ms - open) / length) * length;
    const to = Math.min(from + length, this.sessionOpen(date + DAY_MS));
    return { time: from, from, to };
  }
}

export const UTC_CALENDAR: SessionCalendarSpec = { name: 'utc', timezone: 'UTC', sessionOpen: '00:00' };
export const CME_CALENDAR: SessionCalendarSpec = { name: 'cme_globex', timezone: 'America/Chicago', sessionOpen: '17:00' };

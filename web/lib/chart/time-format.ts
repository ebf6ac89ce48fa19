// Axis and crosshair labels in UTC or the exchange's timezone. The chart's times stay UTC instants
// (never shifted): only their labels change, so DST cannot produce duplicate or missing bars. Daily
// and longer bars are labelled with their trade date, which is a date, not an instant: always UTC.
// With a session calendar, day marks sit on session boundaries (session-ticks.ts) and name the
// trade date the session opens.
import { type SessionCalendar, type Timeframe, TimeframeUnit } from '@barstream/core';
import { tradeDateLabel } from './session-ticks.ts';

/** lightweight-charts' TickMarkType values (a const enum in its typings). */
const TICK = { year: 0, month: 1, dayOfMonth: 2, time: 3, timeWithSeconds: 4 } as const;

interface Parts {
  readonly year: string;
  readonly month: string;
  readonly monthName: string;
  readonly day: string;
  readonly hour: string;
  readonly minute: string;
  readonly second: string;
  readonly zone: string;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formats.set(timeZone, f);
  }
  return f;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function zonedParts(epochSeconds: number, timeZone: string): Parts {
  const out: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(epochSeconds * 1000))) out[p.type] = p.value;
  const month = out.month ?? '01';
  return {
    year: out.year ?? '',
    month,
    monthName: MONTHS[Number(month) - 1] ?? month,
    day: out.day ?? '',
    hour: out.hour ?? '00',
    minute: out.minute ?? '00',
    second: out.second ?? '00',
    zone: out.timeZoneName ?? timeZone,
  };
}

export interface ChartTimeFormatters {
  /** Crosshair label. */
  readonly timeFormatter: (time: unknown) => string;
  /** Time axis labels. */
  readonly tickMarkFormatter: (time: unknown, tickMarkType: number) => string;
}

const asSeconds = (time: unknown): number => (typeof time === 'number' ? time : Number.NaN);

/** `timeZone`: an IANA name, or 'UTC'. `calendar`: the contract's sessions (intraday charts' day
 * marks are its session boundaries, see session-ticks.ts); null: days start at UTC midnight. */
export function chartTimeFormatters(timeZone: string, tf: Timeframe, calendar: SessionCalendar | null = null): ChartTimeFormatters {
  const datesOnly = tf.unit >= TimeframeUnit.day;
  const zone = datesOnly ? 'UTC' : timeZone;
  const withSeconds = tf.unit === TimeframeUnit.second;
  return {
    timeFormatter(time) {
      const p = zonedParts(asSeconds(time), zone);
      const date = `${p.year}-${p.month}-${p.day}`;
      if (datesOnly) return date;
      return `${date} ${p.hour}:${p.minute}${withSeconds ? `:${p.second}` : ''} ${p.zone}`;
    },
    tickMarkFormatter(time, type) {
      if (calendar && !datesOnly && type <= TICK.dayOfMonth) {
        const d = tradeDateLabel(asSeconds(time), calendar);
        const monthName = MONTHS[d.month - 1] ?? String(d.month);
        if (type === TICK.year) return String(d.year);
        return type === TICK.month ? `${monthName} ${d.year}` : `${d.day} ${monthName}`;
      }
      const p = zonedParts(asSeconds(time), zone);
      switch (type) {
        case TICK.year:
          return p.year;
        case TICK.month:
          return `${p.monthName} ${p.year}`;
        case TICK.dayOfMonth:
          // The axis puts day marks at UTC midnight; in another zone that is not local midnight.
          return datesOnly || (p.hour === '00' && p.minute === '00')
            ? `${Number(p.day)} ${p.monthName}`
            : `${Number(p.day)} ${p.monthName} ${p.hour}:${p.minute}`;
        case TICK.timeWithSeconds:
          return `${p.hour}:${p.minute}:${p.second}`;
        default:
          return `${p.hour}:${p.minute}`;
      }
    },
  };
}

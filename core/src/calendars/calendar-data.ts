// An exchange calendar's data file: time zone, weekly session, holidays and early closes, and source.
import { z } from 'zod';
import { isValidTimeZone } from '../time-zone.ts';

/** Local wall time 'HH:MM'; '24:00' is the end of the day (a session that closes at midnight). */
const wallTime = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, { error: 'expected a time HH:MM (00:00–24:00)' });
const isoDate = z.iso.date({ error: 'expected a date YYYY-MM-DD' });

export const calendarDataSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9_]+$/),
  title: z.string().min(1),
  /** The published pages the dates were taken from. */
  source: z.array(z.string().min(1)).min(1),
  /** Dates or rules that could not be checked against the source. */
  unconfirmed: z.array(z.string()),
  timezone: z.string().refine(isValidTimeZone, { error: 'expected an IANA time zone' }),
  /** trade_date: a session opening the evening before belongs to the next day (futures);
   * calendar_day: bars are labelled with the exchange-local day they trade on (stocks, crypto). */
  bar_label: z.enum(['trade_date', 'calendar_day']),
  /** Regular session; when `open` is not before `close` it opens the evening before its trade date. */
  session: z.strictObject({ open: wallTime, close: wallTime }),
  /** Weekdays (0 = Sunday) that are trade dates. */
  trading_weekdays: z.array(z.number().int().min(0).max(6)).min(1),
  /** Years the holiday lists cover; outside them only the weekly sessions apply. */
  years: z.strictObject({ from: z.number().int(), to: z.number().int() }),
  /** No trade date on these days. Without `closes` nothing trades; with it the session ending that
   * day trades until `closes` and its trades belong to the next trade date (CME's holiday halts). */
  holidays: z.array(z.strictObject({ date: isoDate, name: z.string().min(1), closes: wallTime.optional() })),
  /** Trade dates whose session closes early, at `closes` local time. */
  early_closes: z.array(z.strictObject({ date: isoDate, name: z.string().min(1), closes: wallTime })),
});

export type CalendarData = z.infer<typeof calendarDataSchema>;

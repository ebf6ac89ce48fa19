// Session calendars by name: the configured ones, else the built-in defaults (utc, cme_globex, and
// the exchange calendars xnys, cme_equity_futures, crypto_24_7 under their own names).
import 'server-only';
import { calendarSpecFor, type SessionCalendarSpec, type Settings } from '@barstream/core';

export function calendarSpec(settings: Settings, name: string): SessionCalendarSpec | null {
  return calendarSpecFor(settings, name);
}

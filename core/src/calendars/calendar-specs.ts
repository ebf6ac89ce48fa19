// Session calendar specs of the shipped exchange calendars, ready for `new SessionCalendar(spec)`.
import type { SessionCalendarSpec } from '../session-calendar.ts';
import type { CalendarData } from './calendar-data.ts';
import { EXCHANGE_CALENDARS } from './exchange-calendars.ts';

/** The spec of exchange calendar `data`, under the name contracts use (`name`, default the data's). */
export function exchangeCalendarSpec(data: CalendarData, name: string = data.name): SessionCalendarSpec {
  return { name, timezone: data.timezone, sessionOpen: data.session.open, hours: data };
}

/** The spec of shipped exchange calendar `calendar` (cme_equity_futures, xnys, crypto_24_7), or undefined. */
export function exchangeCalendarSpecByName(calendar: string, name: string = calendar): SessionCalendarSpec | undefined {
  const data = EXCHANGE_CALENDARS[calendar];
  return data ? exchangeCalendarSpec(data, name) : undefined;
}

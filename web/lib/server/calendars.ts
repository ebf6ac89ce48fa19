// Session calendars by name: the configured ones, else the built-in UTC and CME Globex calendars.
import 'server-only';
import { CME_CALENDAR, UTC_CALENDAR, type SessionCalendarSpec, type Settings } from '@barstream/core';

const BUILTIN_CALENDARS: Readonly<Record<string, SessionCalendarSpec>> = {
  [UTC_CALENDAR.name]: UTC_CALENDAR,
  [CME_CALENDAR.name]: CME_CALENDAR,
};

export function calendarSpec(settings: Settings, name: string): SessionCalendarSpec | null {
  const configured = settings.session_calendars[name];
  if (configured) return { name, timezone: configured.timezone, sessionOpen: configured.session_open };
  return BUILTIN_CALENDARS[name] ?? null;
}

// Whether a contract's market is open now and, when closed, when it opens next — from its session
// calendar's exchange hours — and the line the overview and the chart show for it. Pure.
import { SessionCalendar, type SessionCalendarSpec } from '@barstream/core';

export interface MarketStatus {
  readonly open: boolean;
  /** ISO instant of the next open when closed; null when open (or never closing). */
  readonly nextOpen: string | null;
  /** The exchange's time zone, to say the next open in. */
  readonly timezone: string;
}

/** The status at `now`; null when the calendar does not know the exchange's hours. */
export function marketStatus(spec: SessionCalendarSpec | null, now: number): MarketStatus | null {
  if (!spec?.hours) return null;
  const calendar = new SessionCalendar(spec);
  const open = calendar.isOpen(now);
  const next = open ? null : calendar.nextOpen(now);
  return { open, nextOpen: next === null ? null : new Date(next).toISOString(), timezone: spec.timezone };
}

/** "Market closed · opens Sun 17:00 CST": the next open in the exchange's zone; null while open. */
export function marketClosedText(status: MarketStatus | null): string | null {
  if (!status || status.open) return null;
  if (status.nextOpen === null) return 'Market closed';
  const when = new Intl.DateTimeFormat('en-US', {
    timeZone: status.timezone,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).format(Date.parse(status.nextOpen));
  return `Market closed · opens ${when}`;
}

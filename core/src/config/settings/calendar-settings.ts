// The session_calendars: entries of config/settings.yaml and the calendars every configuration has.
import { z } from 'zod';
import { EXCHANGE_CALENDARS, exchangeCalendarNames } from '../../calendars/exchange-calendars.ts';
import { didYouMean, expected } from '../config-messages.ts';
import { timeZone } from './setting-fields.ts';

/** A `session_calendars` entry: a shipped exchange calendar (core/src/calendars), or the old form,
 * a time zone and an open time only (no holidays, no breaks, always open). */
export type CalendarSettings = { readonly calendar: string } | { readonly timezone: string; readonly session_open: string };

/** Calendars every configuration has, unless it defines its own of the same name: the old names
 * point at the exchange calendars, which are also there under their own names (xnys, …). */
export const DEFAULT_CALENDARS: Readonly<Record<string, CalendarSettings>> = {
  utc: { calendar: 'crypto_24_7' },
  cme_globex: { calendar: 'cme_equity_futures' },
  ...Object.fromEntries(exchangeCalendarNames().map((name) => [name, { calendar: name }])),
};

export const calendarSchema = z
  .strictObject({
    calendar: z
      .string()
      .refine((name) => name in EXCHANGE_CALENDARS, {
        error: (issue) => {
          const names = exchangeCalendarNames();
          const hint = typeof issue.input === 'string' ? didYouMean(issue.input, names) : '';
          return `${expected(`one of the exchange calendars ${names.join(', ')}`)(issue)}${hint}`;
        },
      })
      .optional(),
    timezone: timeZone.optional(),
    session_open: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: expected('a time HH:MM (00:00–23:59)') })
      .optional(),
  })
  .superRefine((entry, ctx) => {
    const oldForm = entry.timezone !== undefined || entry.session_open !== undefined;
    if (entry.calendar !== undefined && oldForm) {
      ctx.addIssue({
        code: 'custom',
        path: ['calendar'],
        input: entry.calendar,
        message: 'give either calendar or timezone + session_open, not both',
      });
    } else if (entry.calendar === undefined) {
      for (const key of ['timezone', 'session_open'] as const) {
        if (entry[key] === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            input: undefined,
            message: `missing; expected ${key === 'timezone' ? 'an IANA time zone' : 'a time HH:MM'} (or calendar: one of ${exchangeCalendarNames().join(', ')})`,
          });
        }
      }
    }
  })
  .transform((entry): CalendarSettings =>
    entry.calendar !== undefined
      ? { calendar: entry.calendar }
      : { timezone: entry.timezone ?? 'UTC', session_open: entry.session_open ?? '00:00' },
  );

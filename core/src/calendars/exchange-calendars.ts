// The exchange calendars barstream ships (data under ./data), by name, checked against their schema.
import cmeEquityFutures from './data/cme-equity-futures.json' with { type: 'json' };
import crypto247 from './data/crypto-24-7.json' with { type: 'json' };
import xnys from './data/xnys.json' with { type: 'json' };
import { type CalendarData, calendarDataSchema } from './calendar-data.ts';

function load(raw: unknown, file: string): CalendarData {
  const parsed = calendarDataSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`core/src/calendars/data/${file}: ${parsed.error.message}`);
  return parsed.data;
}

export const EXCHANGE_CALENDARS: Readonly<Record<string, CalendarData>> = Object.freeze(
  Object.fromEntries(
    [load(cmeEquityFutures, 'cme-equity-futures.json'), load(xnys, 'xnys.json'), load(crypto247, 'crypto-24-7.json')].map((c) => [
      c.name,
      c,
    ]),
  ),
);

export const exchangeCalendarNames = (): string[] => Object.keys(EXCHANGE_CALENDARS);

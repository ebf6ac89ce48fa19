// Contract definitions: the configured list, plus Binance symbols, Coinbase products and Alpaca symbols named only in INGEST_CONTRACTS.
import { ConfigError } from '../errors.ts';
import { exchangeCalendarSpecByName } from '../calendars/calendar-specs.ts';
import { SessionCalendar, type SessionCalendarSpec } from '../session-calendar.ts';
import {
  type ContractSettings,
  DEFAULT_CALENDARS,
  isUnlistedVenueProduct,
  type Settings,
  UNLISTED_ALPACA_SYMBOL,
} from './settings-schema.ts';

export function contractById(settings: Settings, id: string): ContractSettings | undefined {
  return settings.contracts.find((c) => c.id === id);
}

/** The contracts the ingester runs; a Binance symbol or Coinbase product (UTC calendar, 0.01 tick) or an Alpaca
 * symbol (xnys calendar, 0.01 tick) need not be listed. */
export function ingestContracts(settings: Settings): ContractSettings[] {
  const provider = settings.ingester.provider;
  return settings.ingester.contracts.map((id) => {
    const known = contractById(settings, id);
    if (known) {
      if (known.provider !== provider && !(provider === 'replay')) {
        throw new ConfigError(`ingester.contracts: ${id} belongs to provider ${known.provider}, not ${provider}`);
      }
      return known;
    }
    // Stocks quote in cents (sub-dollar prices in 0.0001: Reg NMS rule 612); tick_size is the common case.
    if (provider === 'alpaca' && UNLISTED_ALPACA_SYMBOL.test(id)) {
      return { id, provider, symbol: id, name: id, description: '', tick_size: 0.01, session_calendar: 'xnys' };
    }
    if (isUnlistedVenueProduct(provider, id)) {
      // Coinbase replaces this tick size with the product's quote_increment at start (describeContracts).
      return { id, provider, symbol: id, name: id, description: '', tick_size: 0.01, session_calendar: 'utc' };
    }
    throw new ConfigError(`ingester.contracts: unknown contract '${id}' (add it under contracts:)`);
  });
}

/** The spec of calendar `name` (as contracts name it): configured under session_calendars, else a
 * default (utc, cme_globex, or a shipped exchange calendar by its own name); null when unknown. */
export function calendarSpecFor(settings: Settings, name: string): SessionCalendarSpec | null {
  const entry = settings.session_calendars[name] ?? DEFAULT_CALENDARS[name];
  if (!entry) return null;
  if ('calendar' in entry) return exchangeCalendarSpecByName(entry.calendar, name) ?? null;
  return { name, timezone: entry.timezone, sessionOpen: entry.session_open };
}

export function calendarFor(settings: Settings, contract: ContractSettings): SessionCalendar {
  const spec = calendarSpecFor(settings, contract.session_calendar);
  if (!spec) throw new ConfigError(`contract ${contract.id}: unknown session_calendar '${contract.session_calendar}'`);
  return new SessionCalendar(spec);
}

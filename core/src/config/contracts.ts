// Contract definitions: the configured list, plus Binance symbols, Coinbase products and Alpaca symbols named only in INGEST_CONTRACTS.
import { ConfigError } from '../errors.ts';
import { SessionCalendar } from '../session-calendar.ts';
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

export function calendarFor(settings: Settings, contract: ContractSettings): SessionCalendar {
  const spec = settings.session_calendars[contract.session_calendar] ?? DEFAULT_CALENDARS[contract.session_calendar];
  if (!spec) throw new ConfigError(`contract ${contract.id}: unknown session_calendar '${contract.session_calendar}'`);
  return new SessionCalendar({ name: contract.session_calendar, timezone: spec.timezone, sessionOpen: spec.session_open });
}

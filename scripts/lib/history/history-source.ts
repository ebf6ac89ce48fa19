// Where downloaded bars come from: the ingester's ProjectX, Binance, Coinbase and Alpaca REST clients behind one small
// interface (contract lookup, timeframe check, bars over a range), built from the validated settings.
import {
  calendarFor,
  type ContractSettings,
  contractById,
  fixedLengthMs,
  HOUR_MS,
  type OhlcBar,
  type Settings,
  type Timeframe,
  TimeframeUnit,
  UNLISTED_ALPACA_SYMBOL,
  ValidationError,
} from '@barstream/core';
import type { Logger } from '@barstream/core/node';
import { AlpacaRestClient, BARS_PAGE_LIMIT } from '../../../ingester/src/providers/alpaca/alpaca-rest-client.ts';
import { alpacaTimeframe } from '../../../ingester/src/providers/alpaca/alpaca-timeframes.ts';
import { binanceInterval } from '../../../ingester/src/providers/binance/binance-intervals.ts';
import { BinanceRestClient, KLINES_PAGE_LIMIT } from '../../../ingester/src/providers/binance/binance-rest-client.ts';
import { CANDLES_PAGE_SPAN, CoinbaseRestClient } from '../../../ingester/src/providers/coinbase/coinbase-rest-client.ts';
import { coinbaseGranularity } from '../../../ingester/src/providers/coinbase/coinbase-granularities.ts';
import { CoinbaseHttpError } from '../../../ingester/src/providers/coinbase/coinbase-errors.ts';
import { MAX_BARS_PER_CALL, ProjectXRestClient } from '../../../ingester/src/providers/projectx/projectx-rest-client.ts';
import { barsFromMinutes } from './bars-from-minutes.ts';
import { describedFetch } from './network-error.ts';

export type HistoryProvider = 'projectx' | 'binance' | 'coinbase' | 'alpaca';

export interface HistorySource {
  readonly provider: HistoryProvider;
  /** Expected bars per fetch window: one Gateway call for ProjectX, ten kline pages for Binance. */
  readonly windowBars: number;
  /** Throws a ValidationError naming the timeframe when the provider has no such bars. */
  checkTimeframe(tf: Timeframe): void;
  /** The contract a `--contracts` entry names: a contract id, or a symbol to look up. */
  resolveContract(text: string, signal?: AbortSignal): Promise<ContractSettings>;
  /** Fails fast on refused credentials; a no-op where none are needed. */
  connect(signal?: AbortSignal): Promise<void>;
  /** Closed bars opening in [fromMs, toMs), ascending, one per open time. */
  fetchBars(contractId: string, tf: Timeframe, fromMs: number, toMs: number, signal?: AbortSignal): Promise<OhlcBar[]>;
}

const ONE_MINUTE: Timeframe = { unit: TimeframeUnit.minute, value: 1 };

/** Binance symbols as the ingester accepts them. */
const BINANCE_SYMBOL = /^[A-Z0-9]{5,20}$/;
/** Kline pages per fetch window: enough to keep requests flowing, few enough that an interrupt loses little. */
const BINANCE_PAGES_PER_WINDOW = 10;

export function projectXSource(client: ProjectXRestClient, settings: Settings): HistorySource {
  return {
    provider: 'projectx',
    windowBars: MAX_BARS_PER_CALL,
    checkTimeframe: () => undefined,
    connect: async () => {
      await client.login();
    },
    async resolveContract(text, signal) {
      if (text.startsWith('CON.'))
        return configuredOr(settings, text, 'projectx', { symbol: text.split('.')[3] ?? text, session_calendar: 'cme_globex' });
      const symbol = text.toUpperCase();
      const found = await client.searchContracts(symbol, { signal });
      const matching = found.filter(
        (c) => c.symbolId?.split('.').pop()?.toUpperCase() === symbol || c.name.toUpperCase().startsWith(symbol),
      );
      const chosen = matching.find((c) => c.activeContract) ?? matching[0];
      if (!chosen) {
        throw new ValidationError(
          '--contracts',
          `no ProjectX contract matches '${text}' (found: ${found.map((c) => c.id).join(', ') || 'none'})`,
        );
      }
      return configuredOr(settings, chosen.id, 'projectx', {
        symbol,
        name: chosen.name,
        description: chosen.description ?? '',
        tick_size: chosen.tickSize,
        session_calendar: 'cme_globex',
      });
    },
    fetchBars: (contractId, tf, fromMs, toMs, signal) => client.retrieveBars(contractId, tf, fromMs, toMs, { signal }),
  };
}

export function binanceSource(client: BinanceRestClient, settings: Settings): HistorySource {
  return {
    provider: 'binance',
    windowBars: KLINES_PAGE_LIMIT * BINANCE_PAGES_PER_WINDOW,
    checkTimeframe: (tf) => {
      binanceInterval(tf);
    },
    connect: async () => undefined,
    async resolveContract(text) {
      const symbol = text.toUpperCase();
      if (!BINANCE_SYMBOL.test(symbol)) throw new ValidationError('--contracts', `'${text}' is not a Binance symbol like BTCUSDT`);
      return configuredOr(settings, symbol, 'binance', { symbol, session_calendar: 'utc' });
    },
    fetchBars: (symbol, tf, fromMs, toMs, signal) => client.fetchKlines(symbol, tf, fromMs, toMs, { signal }),
  };
}

/** Coinbase product ids as the ingester accepts them. */
const COINBASE_PRODUCT = /^[A-Z0-9]{1,12}-[A-Z0-9]{1,12}$/;
/** Candle pages per fetch window, as for Binance. */
const COINBASE_PAGES_PER_WINDOW = 10;

export function coinbaseSource(client: CoinbaseRestClient, settings: Settings): HistorySource {
  return {
    provider: 'coinbase',
    windowBars: CANDLES_PAGE_SPAN * COINBASE_PAGES_PER_WINDOW,
    checkTimeframe: (tf) => {
      coinbaseGranularity(tf);
    },
    connect: async () => undefined,
    async resolveContract(text, signal) {
      const productId = text.toUpperCase();
      if (!COINBASE_PRODUCT.test(productId)) throw new ValidationError('--contracts', `'${text}' is not a Coinbase product like BTC-USD`);
      // The venue knows its products and their tick size (quote_increment).
      const product = await client.fetchProduct(productId, signal).catch((error: unknown) => {
        if (error instanceof CoinbaseHttpError && error.status === 404)
          throw new ValidationError('--contracts', `Coinbase has no product '${productId}'`);
        throw error;
      });
      return configuredOr(settings, productId, 'coinbase', {
        symbol: productId,
        tick_size: product.quote_increment,
        session_calendar: 'utc',
      });
    },
    fetchBars: (productId, tf, fromMs, toMs, signal) => client.fetchCandles(productId, tf, fromMs, toMs, signal),
  };
}

export function alpacaSource(client: AlpacaRestClient, settings: Settings): HistorySource {
  return {
    provider: 'alpaca',
    // One page per window: an interrupt loses at most one request's bars.
    windowBars: BARS_PAGE_LIMIT,
    checkTimeframe: (tf) => {
      alpacaTimeframe(tf);
    },
    connect: async () => undefined,
    async resolveContract(text) {
      const symbol = text.toUpperCase();
      if (!UNLISTED_ALPACA_SYMBOL.test(symbol))
        throw new ValidationError('--contracts', `'${text}' is not a US stock symbol like SPY or BRK.B`);
      return configuredOr(settings, symbol, 'alpaca', { symbol, session_calendar: 'xnys' });
    },
    async fetchBars(symbol, tf, fromMs, toMs, signal) {
      const length = fixedLengthMs(tf);
      if (length === undefined || length < HOUR_MS) return client.fetchBars(symbol, tf, fromMs, toMs, { signal });
      // Alpaca's hours start on the clock hour, ours at the session open (09:30): rebuilt from its minutes.
      const calendar = calendarFor(settings, configuredOr(settings, symbol, 'alpaca', { symbol, session_calendar: 'xnys' }));
      const minutes = await client.fetchBars(symbol, ONE_MINUTE, calendar.bucket(fromMs, tf).from, toMs, { signal });
      return barsFromMinutes(minutes, tf, calendar, Date.now()).filter((b) => b.time >= fromMs && b.time < toMs);
    },
  };
}

/** A source for `provider` from settings.providers; ProjectX and Alpaca need their credentials configured. */
export function createHistorySource(provider: HistoryProvider, settings: Settings, logger: Logger): HistorySource {
  // Failures name their cause (refused, DNS, TLS) instead of undici's bare 'fetch failed'.
  const fetch = describedFetch();
  if (provider === 'binance')
    return binanceSource(new BinanceRestClient({ restUrl: settings.providers.binance.rest_url, logger, fetch }), settings);
  if (provider === 'coinbase')
    return coinbaseSource(new CoinbaseRestClient({ restUrl: settings.providers.coinbase.rest_url, logger, fetch }), settings);
  if (provider === 'alpaca') {
    const a = settings.providers.alpaca;
    if (!a.key_id || !a.secret_key)
      throw new ValidationError(
        'providers.alpaca',
        'key_id and secret_key are required for --provider alpaca (set ALPACA_KEY_ID and ALPACA_SECRET_KEY, e.g. in .env)',
      );
    const { data_url: dataUrl, key_id: keyId, secret_key: secretKey, feed, adjustment } = a;
    return alpacaSource(new AlpacaRestClient({ dataUrl, keyId, secretKey, feed, adjustment, logger, fetch }), settings);
  }
  const p = settings.providers.projectx;
  if (!p.username || !p.api_key) {
    throw new ValidationError(
      'providers.projectx',
      'username and api_key are required for --provider projectx ' + '(set PROJECTX_USERNAME and PROJECTX_API_KEY, e.g. in .env)',
    );
  }
  return projectXSource(
    new ProjectXRestClient({
      apiUrl: p.api_url,
      username: p.username,
      apiKey: p.api_key,
      live: p.live,
      tokenRefreshMs: p.token_refresh_ms,
      logger,
      fetch,
    }),
    settings,
  );
}

/** The configured contract of that id (which must belong to `provider`), else one made from `defaults`. */
function configuredOr(
  settings: Settings,
  id: string,
  provider: HistoryProvider,
  defaults: Partial<ContractSettings> & Pick<ContractSettings, 'symbol' | 'session_calendar'>,
): ContractSettings {
  const known = contractById(settings, id);
  if (known) {
    if (known.provider !== provider)
      throw new ValidationError('--contracts', `${id} belongs to provider ${known.provider}, not ${provider}`);
    return known;
  }
  return { id, provider, name: id, description: '', tick_size: 0.01, ...defaults };
}

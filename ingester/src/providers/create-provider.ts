// Chooses the provider named by ingester.provider (or INGEST_PROVIDER).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { calendarFor, ConfigError, type ContractSettings, type SessionCalendar, type Settings } from '@barstream/core';
import type { Logger } from '@barstream/core/node';
import type { MarketDataProvider } from './provider.ts';
import { AlpacaProvider } from './alpaca/alpaca-provider.ts';
import { BinanceProvider } from './binance/binance-provider.ts';
import { CoinbaseProvider } from './coinbase/coinbase-provider.ts';
import { ProjectXProvider } from './projectx/projectx-provider.ts';
import { ReplayProvider } from './replay-provider.ts';
import { SimulatedProvider } from './simulated-provider.ts';

/** The replay's speed when the provider is a replay (Infinity: as fast as possible); the ingester's
 * clock then follows the replayed stream without running between trades. */
export function replaySpeedOf(settings: Settings): number | undefined {
  return settings.ingester.provider === 'replay' ? settings.providers.replay.speed : undefined;
}

export function createProvider(
  settings: Settings,
  contracts: readonly ContractSettings[],
  logger: Logger,
  rootDir: string,
): MarketDataProvider {
  switch (settings.ingester.provider) {
    case 'simulated': {
      // Per contract, built on first use: the watchlist may add contracts after start.
      const calendars = new Map<string, SessionCalendar>();
      const calendarOf = (c: ContractSettings): SessionCalendar => {
        let calendar = calendars.get(c.id);
        if (!calendar) calendars.set(c.id, (calendar = calendarFor(settings, c)));
        return calendar;
      };
      return new SimulatedProvider({
        contracts,
        ticksPerSecond: settings.ingester.simulated.ticks_per_second,
        seed: settings.ingester.simulated.seed,
        ...(settings.ingester.simulated.market_hours === 'calendar'
          ? { isOpen: (c: ContractSettings, minuteStart: number) => calendarOf(c).isOpen(minuteStart) }
          : {}),
      });
    }
    case 'replay': {
      const file = settings.providers.replay.file;
      if (!file) throw new ConfigError('providers.replay.file (env REPLAY_FILE): a CSV of bars or ticks to replay is required');
      // A file that is not there is a setting to change, not an outage to retry (runService exits on it).
      if (!existsSync(resolve(rootDir, file)))
        throw new ConfigError(`providers.replay.file (env REPLAY_FILE): file not found: ${resolve(rootDir, file)}`);
      const calendars = new Map(contracts.map((c) => [c.id, calendarFor(settings, c)]));
      return new ReplayProvider({
        file: resolve(rootDir, file),
        speed: settings.providers.replay.speed,
        logger,
        calendarFor: (id) => calendars.get(id),
      });
    }
    case 'projectx': {
      const p = settings.providers.projectx;
      return new ProjectXProvider({
        apiUrl: p.api_url,
        marketHubUrl: p.market_hub_url,
        username: p.username,
        apiKey: p.api_key,
        contractIds: contracts.map((c) => c.id),
        live: p.live,
        tokenRefreshMs: p.token_refresh_ms,
        logger,
      });
    }
    case 'binance': {
      const mismatched = contracts.find((c) => c.id !== c.symbol.toUpperCase());
      // Binance trades name their symbol; the contract id must be that symbol to match them.
      if (mismatched)
        throw new ConfigError(
          `contracts: Binance contract '${mismatched.id}' must have id equal to its symbol '${mismatched.symbol.toUpperCase()}'`,
        );
      const b = settings.providers.binance;
      return new BinanceProvider({
        restUrl: b.rest_url,
        wsUrl: b.ws_url,
        symbols: contracts.map((c) => c.id),
        rotateAfterMs: b.rotate_after_ms,
        logger,
      });
    }
    case 'coinbase': {
      const mismatched = contracts.find((c) => c.id !== c.symbol);
      // Coinbase trades name their product; the contract id must be that product id to match them.
      if (mismatched)
        throw new ConfigError(
          `contracts: Coinbase contract '${mismatched.id}' must have id equal to its product id '${mismatched.symbol}'`,
        );
      const c = settings.providers.coinbase;
      return new CoinbaseProvider({ restUrl: c.rest_url, wsUrl: c.ws_url, products: contracts.map((x) => x.id), logger });
    }
    case 'alpaca': {
      const mismatched = contracts.find((c) => c.id !== c.symbol.toUpperCase());
      // Alpaca trades name their symbol; the contract id must be that symbol to match them.
      if (mismatched)
        throw new ConfigError(
          `contracts: Alpaca contract '${mismatched.id}' must have id equal to its symbol '${mismatched.symbol.toUpperCase()}'`,
        );
      const a = settings.providers.alpaca;
      if (!a.key_id || !a.secret_key)
        throw new ConfigError('providers.alpaca: ALPACA_KEY_ID and ALPACA_SECRET_KEY are required (set them in .env)');
      return new AlpacaProvider({
        dataUrl: a.data_url,
        streamUrl: a.stream_url,
        feed: a.feed,
        adjustment: a.adjustment,
        keyId: a.key_id,
        secretKey: a.secret_key,
        symbols: contracts.map((c) => c.id),
        logger,
      });
    }
  }
}

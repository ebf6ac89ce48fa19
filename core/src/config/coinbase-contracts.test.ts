// INGEST_PROVIDER=coinbase INGEST_CONTRACTS=BTC-USD works from the environment alone, as binance does.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { parseSettings } from '../node/load-config.ts';
import { ingestContracts } from './contracts.ts';

const minimal = {
  contracts: [{ id: 'SIM.A', provider: 'simulated', symbol: 'A', tick_size: 0.25, session_calendar: 'utc' }],
  ingester: { contracts: ['SIM.A'] },
};

describe('Coinbase products from the environment', () => {
  it('needs no contracts entry: UTC calendar, endpoints from COINBASE_REST_URL / COINBASE_WS_URL', () => {
    const settings = parseSettings(minimal, {
      INGEST_PROVIDER: 'coinbase',
      INGEST_CONTRACTS: 'BTC-USD,ETH-EUR',
      COINBASE_REST_URL: 'http://127.0.0.1:9/rest',
      COINBASE_WS_URL: 'ws://127.0.0.1:9/ws',
    });
    expect(settings.providers.coinbase).toEqual({ rest_url: 'http://127.0.0.1:9/rest', ws_url: 'ws://127.0.0.1:9/ws' });
    expect(ingestContracts(settings).map((c) => [c.id, c.provider, c.symbol, c.session_calendar])).toEqual([
      ['BTC-USD', 'coinbase', 'BTC-USD', 'utc'],
      ['ETH-EUR', 'coinbase', 'ETH-EUR', 'utc'],
    ]);
    expect(parseSettings(minimal).providers.coinbase).toEqual({
      rest_url: 'https://api.coinbase.com',
      ws_url: 'wss://advanced-trade-ws.coinbase.com',
    });
  });

  it('refuses what is not a product id, naming it', () => {
    expect(() => parseSettings(minimal, { INGEST_PROVIDER: 'coinbase', INGEST_CONTRACTS: 'BTCUSD' })).toThrow(ConfigError);
    expect(() => parseSettings(minimal, { INGEST_PROVIDER: 'coinbase', INGEST_CONTRACTS: 'BTCUSD' })).toThrow(
      /ingester\.contracts\[0\].*BTCUSD/,
    );
    // A Binance symbol is not a Coinbase product, nor the other way round.
    expect(() => parseSettings(minimal, { INGEST_PROVIDER: 'binance', INGEST_CONTRACTS: 'BTC-USD' })).toThrow(/BTC-USD/);
  });
});

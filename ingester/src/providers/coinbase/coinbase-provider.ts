// Coinbase Advanced Trade as a market-data provider: live trades and quotes over the public feed, history from
// REST candles, tick sizes from the products' quote_increment.
import { ConfigError, TimeframeUnit, type BackoffOptions, type ContractSettings, type OhlcBar, type Timeframe } from '@barstream/core';
import type { Logger } from '@barstream/core/node';
import type { MarketDataProvider, ProviderSink } from '../provider.ts';
import { CoinbaseHttpError } from './coinbase-errors.ts';
import { CoinbaseRestClient } from './coinbase-rest-client.ts';
import { CoinbaseTradeStream } from './coinbase-trade-stream.ts';

export interface CoinbaseProviderOptions {
  /** providers.coinbase.rest_url, e.g. https://api.coinbase.com */
  readonly restUrl: string;
  /** providers.coinbase.ws_url, e.g. wss://advanced-trade-ws.coinbase.com */
  readonly wsUrl: string;
  /** Product ids (BTC-USD); trades carry them as contractId. */
  readonly products: readonly string[];
  readonly logger: Logger;
  readonly fetch?: typeof fetch;
  readonly staleAfterMs?: number;
  readonly subscribeTimeoutMs?: number;
  readonly reconnectBackoff?: BackoffOptions;
  /** Spacing between REST requests (default 100 ms). */
  readonly restSpacingMs?: number;
}

export class CoinbaseProvider implements MarketDataProvider {
  readonly name = 'coinbase';
  readonly historyTimeframe: Timeframe = { unit: TimeframeUnit.minute, value: 1 };
  private readonly rest: CoinbaseRestClient;
  private stream: CoinbaseTradeStream | undefined;

  constructor(private readonly options: CoinbaseProviderOptions) {
    this.rest = new CoinbaseRestClient({
      restUrl: options.restUrl,
      logger: options.logger,
      fetch: options.fetch,
      minSpacingMs: options.restSpacingMs,
    });
  }

  async start(sink: ProviderSink): Promise<void> {
    if (this.stream) return;
    const { wsUrl, products, staleAfterMs, subscribeTimeoutMs, reconnectBackoff, logger } = this.options;
    this.stream = new CoinbaseTradeStream({ wsUrl, products, staleAfterMs, subscribeTimeoutMs, reconnectBackoff, logger });
    this.stream.start(sink);
  }

  async stop(): Promise<void> {
    const stream = this.stream;
    this.stream = undefined;
    await stream?.stop();
  }

  fetchBars(contractId: string, timeframe: Timeframe, fromMs: number, toMs: number, signal?: AbortSignal): Promise<OhlcBar[]> {
    return this.rest.fetchCandles(contractId, timeframe, fromMs, toMs, signal);
  }

  /** The contracts with the venue's tick size (quote_increment). A product the venue does not know is a
   * ConfigError (the service exits instead of retrying); an outage is retried like any start failure. */
  async describeContracts(contracts: readonly ContractSettings[], signal?: AbortSignal): Promise<ContractSettings[]> {
    const described: ContractSettings[] = [];
    for (const contract of contracts) {
      const product = await this.rest.fetchProduct(contract.symbol, signal).catch((error: unknown) => {
        if (error instanceof CoinbaseHttpError && error.status === 404)
          throw new ConfigError(`ingester.contracts: Coinbase has no product '${contract.symbol}' (${error.message})`);
        throw error;
      });
      if (product.quote_increment !== contract.tick_size)
        this.options.logger.info(
          { contract: contract.id, configured: contract.tick_size, venue: product.quote_increment },
          'coinbase: tick size from the product (quote_increment)',
        );
      described.push({ ...contract, tick_size: product.quote_increment });
    }
    return described;
  }
}

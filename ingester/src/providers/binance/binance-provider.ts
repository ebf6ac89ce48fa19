// Binance spot as a market-data provider: live trades over the combined stream, history from REST klines.
import { ConfigError, TimeframeUnit, type BackoffOptions, type ContractSettings, type OhlcBar, type Timeframe } from '@barstream/core';
import type { Logger } from '@barstream/core/node';
import type { MarketDataProvider, ProviderSink } from '../provider.ts';
import { BinanceRestClient } from './binance-rest-client.ts';
import { BinanceTradeStream } from './binance-trade-stream.ts';

export interface BinanceProviderOptions {
  /** providers.binance.rest_url, e.g. https://api.binance.com */
  readonly restUrl: string;
  /** providers.binance.ws_url, e.g. wss://stream.binance.com:9443 */
  readonly wsUrl: string;
  /** Binance symbols (BTCUSDT); trades carry them, uppercase, as contractId. */
  readonly symbols: readonly string[];
  /** providers.binance.rotate_after_ms */
  readonly rotateAfterMs: number;
  readonly logger: Logger;
  readonly fetch?: typeof fetch;
  /** Silence (no message, no ping) after which a connection counts as dead. Default 60 s. */
  readonly staleAfterMs?: number;
  /** Longest overlap of old and new connection during a rotation. Default 10 s. */
  readonly rotationOverlapMs?: number;
  readonly reconnectBackoff?: BackoffOptions;
}

export class BinanceProvider implements MarketDataProvider {
  readonly name = 'binance';
  readonly historyTimeframe: Timeframe = { unit: TimeframeUnit.minute, value: 1 };
  private readonly rest: BinanceRestClient;
  private stream: BinanceTradeStream | undefined;
  /** The configured symbols and the ones added since (watchlist). */
  private symbols: string[];

  constructor(private readonly options: BinanceProviderOptions) {
    this.symbols = [...options.symbols];
    this.rest = new BinanceRestClient({ restUrl: options.restUrl, logger: options.logger, fetch: options.fetch });
  }

  async start(sink: ProviderSink): Promise<void> {
    if (this.stream) return;
    const { wsUrl, rotateAfterMs, staleAfterMs, rotationOverlapMs, reconnectBackoff, logger } = this.options;
    this.stream = new BinanceTradeStream({
      wsUrl,
      symbols: this.symbols,
      rotateAfterMs,
      staleAfterMs,
      rotationOverlapMs,
      reconnectBackoff,
      logger,
    });
    this.stream.start(sink);
  }

  async stop(): Promise<void> {
    const stream = this.stream;
    this.stream = undefined;
    await stream?.stop();
  }

  fetchBars(contractId: string, timeframe: Timeframe, fromMs: number, toMs: number, signal?: AbortSignal): Promise<OhlcBar[]> {
    return this.rest.fetchKlines(contractId, timeframe, fromMs, toMs, { signal });
  }

  async addContract(contract: ContractSettings): Promise<void> {
    // Binance trades name their symbol; the contract id must be that symbol to match them.
    if (contract.id !== contract.symbol.toUpperCase()) {
      throw new ConfigError(`Binance contract '${contract.id}' must have id equal to its symbol '${contract.symbol.toUpperCase()}'`);
    }
    this.symbols = [...new Set([...this.symbols, contract.id])];
    this.stream?.setSymbols(this.symbols);
  }

  async removeContract(contractId: string): Promise<void> {
    this.symbols = this.symbols.filter((s) => s !== contractId);
    this.stream?.setSymbols(this.symbols);
  }
}

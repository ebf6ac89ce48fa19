// Binance spot as a market-data provider: live trades over the combined stream, history from REST klines.
import { TimeframeUnit, type BackoffOptions, type OhlcBar, type Timeframe } from '@barstream/core';
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

  constructor(private readonly options: BinanceProviderOptions) {
    this.rest = new BinanceRestClient({ restUrl: options.restUrl, logger: options.logger, fetch: options.fetch });
  }

  async start(sink: ProviderSink): Promise<void> {
    if (this.stream) return;
    const { wsUrl, symbols, rotateAfterMs, staleAfterMs, rotationOverlapMs, reconnectBackoff, logger } = this.options;
    this.stream = new BinanceTradeStream({ wsUrl, symbols, rotateAfterMs, staleAfterMs, rotationOverlapMs, reconnectBackoff, logger });
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
}

// Alpaca Market Data v2 (US stocks) as a market-data provider: live trades and quotes over the feed's
// WebSocket, history from REST bars.
import { TimeframeUnit, type BackoffOptions, type OhlcBar, type Timeframe } from '@barstream/core';
import type { Logger } from '@barstream/core/node';
import type { MarketDataProvider, ProviderSink } from '../provider.ts';
import { AlpacaRestClient, type AlpacaAdjustment, type AlpacaFeed } from './alpaca-rest-client.ts';
import { AlpacaTradeStream } from './alpaca-trade-stream.ts';

export interface AlpacaProviderOptions {
  /** providers.alpaca.data_url (ALPACA_DATA_URL), e.g. https://data.alpaca.markets */
  readonly dataUrl: string;
  /** providers.alpaca.stream_url (ALPACA_STREAM_URL), e.g. wss://stream.data.alpaca.markets/v2; the feed is appended. */
  readonly streamUrl: string;
  readonly feed: AlpacaFeed;
  readonly adjustment: AlpacaAdjustment;
  readonly keyId: string;
  readonly secretKey: string;
  /** Stock symbols (SPY); trades carry them, uppercase, as contractId. */
  readonly symbols: readonly string[];
  readonly logger: Logger;
  readonly fetch?: typeof fetch;
  readonly staleAfterMs?: number;
  readonly handshakeTimeoutMs?: number;
  readonly reconnectBackoff?: BackoffOptions;
  readonly configurationErrorDelayMs?: number;
  readonly restBackoff?: BackoffOptions;
}

export class AlpacaProvider implements MarketDataProvider {
  readonly name = 'alpaca';
  readonly historyTimeframe: Timeframe = { unit: TimeframeUnit.minute, value: 1 };
  private readonly rest: AlpacaRestClient;
  private stream: AlpacaTradeStream | undefined;

  constructor(private readonly options: AlpacaProviderOptions) {
    const { dataUrl, keyId, secretKey, feed, adjustment, logger, restBackoff } = options;
    this.rest = new AlpacaRestClient({ dataUrl, keyId, secretKey, feed, adjustment, logger, fetch: options.fetch, backoff: restBackoff });
  }

  /** The live feed's URL: the stream base with the feed appended. */
  get streamFeedUrl(): string {
    return `${this.options.streamUrl.replace(/\/+$/, '')}/${this.options.feed}`;
  }

  get streamErrors(): readonly Error[] {
    return this.stream?.streamErrors ?? [];
  }

  async start(sink: ProviderSink): Promise<void> {
    if (this.stream) return;
    const o = this.options;
    this.stream = new AlpacaTradeStream({
      url: this.streamFeedUrl,
      keyId: o.keyId,
      secretKey: o.secretKey,
      symbols: o.symbols,
      logger: o.logger,
      staleAfterMs: o.staleAfterMs,
      handshakeTimeoutMs: o.handshakeTimeoutMs,
      reconnectBackoff: o.reconnectBackoff,
      configurationErrorDelayMs: o.configurationErrorDelayMs,
    });
    this.stream.start(sink);
  }

  async stop(): Promise<void> {
    const stream = this.stream;
    this.stream = undefined;
    await stream?.stop();
  }

  fetchBars(contractId: string, timeframe: Timeframe, fromMs: number, toMs: number, signal?: AbortSignal): Promise<OhlcBar[]> {
    return this.rest.fetchBars(contractId, timeframe, fromMs, toMs, { signal });
  }
}

// The one interface every market-data provider implements; the pipeline consumes it.
import type { Trade } from '@barstream/core';

export interface Quote {
  readonly contractId: string;
  readonly time: number;
  readonly lastPrice?: number;
  readonly bestBid?: number;
  readonly bestAsk?: number;
}

export interface ProviderSink {
  /** Trades already parsed from the provider's wire format (still validated by the pipeline). */
  onTrades(trades: readonly Trade[]): void;
  onQuote(quote: Quote): void;
  /** A provider message that could not be parsed: counted and logged, never fatal. */
  onRejected(reason: string, detail?: unknown): void;
  onConnectionChange(connected: boolean): void;
}

export interface MarketDataProvider {
  readonly name: string;
  start(sink: ProviderSink): Promise<void>;
  stop(): Promise<void>;
}

// The one interface every market-data provider implements; the pipeline consumes it.
import type { ContractSettings, OhlcBar, Timeframe, Trade } from '@barstream/core';
import type { StoredTail } from './stored-tail.ts';

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
  /** A quote, merged with earlier partial quotes of the contract by the provider. */
  onQuote(quote: Quote): void;
  /** A provider message that could not be parsed: counted and logged, never fatal. */
  onRejected(reason: string, detail?: unknown): void;
  /** Called with true on every (re)connect once subscriptions are active, false when the feed is lost.
   * The ingester backfills from history on every true. */
  onConnectionChange(connected: boolean): void;
  /** A finite source (replay) has delivered everything. */
  onEndOfStream?(): void;
}

export interface MarketDataProvider {
  readonly name: string;
  /** Connects and subscribes; keeps reconnecting by itself until stop(). Resolves once started
   * (the first connection may still be pending: report it through onConnectionChange). */
  start(sink: ProviderSink): Promise<void>;
  stop(): Promise<void>;
  /** Resolution the ingester asks history in when backfilling (e.g. 1m); absent: no backfill. */
  readonly historyTimeframe?: Timeframe;
  /** Closed bars of `timeframe` whose open time is in [fromMs, toMs), ascending, de-duplicated.
   * Paging and rate limits are handled inside. */
  fetchBars?(contractId: string, timeframe: Timeframe, fromMs: number, toMs: number, signal?: AbortSignal): Promise<OhlcBar[]>;
  /** Streams one more contract without a restart (a watchlist addition): subscribed on the live
   * connection, and on every reconnect from then on. Absent: the provider cannot (a replay). */
  addContract?(contract: ContractSettings): Promise<void>;
  /** Stops streaming a contract added before (or configured); its history stays. */
  removeContract?(contractId: string): Promise<void>;
  /** The contracts as the venue describes them (e.g. its tick size), asked once at start; absent: as configured. */
  describeContracts?(contracts: readonly ContractSettings[], signal?: AbortSignal): Promise<ContractSettings[]>;
  /** A finite source (replay), told before start() what is stored already: it skips it, so a restart
   * or a standby's takeover continues the file instead of storing its ticks twice. */
  resumeAfter?(stored: ReadonlyMap<string, StoredTail>): void;
}

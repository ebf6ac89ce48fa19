// Live Coinbase trades and quotes for a set of products: one feed connection kept alive and reconnected; a
// drop, a sequence gap or a refused subscription reports the feed lost, and the reconnect makes the ingester backfill.
import { ConfigError, backoffDelay, type BackoffOptions } from '@barstream/core';
import type { Logger } from '@barstream/core/node';
import type { ProviderSink } from '../provider.ts';
import { HighestTradeIdFilter } from '../trade-id-dedupe.ts';
import { CoinbaseStreamConnection } from './coinbase-stream-connection.ts';
import type { StreamMessage } from './coinbase-stream-message.ts';

export type TradeStreamSink = Pick<ProviderSink, 'onTrades' | 'onQuote' | 'onRejected' | 'onConnectionChange'>;

export interface CoinbaseTradeStreamOptions {
  /** e.g. wss://advanced-trade-ws.coinbase.com */
  readonly wsUrl: string;
  readonly products: readonly string[];
  /** Heartbeats come every second; silence this long means the connection is dead. Default 15 s. */
  readonly staleAfterMs?: number;
  /** Longest wait for the venue to acknowledge market_trades. Default 5 s (its own subscribe deadline). */
  readonly subscribeTimeoutMs?: number;
  readonly reconnectBackoff?: BackoffOptions;
  readonly logger: Logger;
}

const DEFAULT_STALE_AFTER_MS = 15_000;
const DEFAULT_SUBSCRIBE_TIMEOUT_MS = 5_000;

export class CoinbaseTradeStream {
  private readonly products: ReadonlySet<string>;
  private readonly dedupe = new HighestTradeIdFilter();
  private sink: TradeStreamSink | undefined;
  private connection: CoinbaseStreamConnection | undefined;
  private reported = false;
  private reconnectAttempt = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: CoinbaseTradeStreamOptions) {
    const products = options.products.map((p) => p.trim().toUpperCase()).filter((p) => p.length > 0);
    if (products.length === 0) throw new ConfigError('coinbase: no products to stream');
    this.products = new Set(products);
  }

  /** Opens the first connection; from here on it reconnects by itself until stop(). */
  start(sink: TradeStreamSink): void {
    if (this.sink) return;
    this.sink = sink;
    this.connection = this.connect();
  }

  async stop(): Promise<void> {
    const connection = this.connection;
    this.sink = undefined;
    this.connection = undefined;
    this.reported = false;
    this.reconnectAttempt = 0;
    clearTimeout(this.reconnectTimer);
    await connection?.close();
  }

  private connect(): CoinbaseStreamConnection {
    return new CoinbaseStreamConnection({
      url: this.options.wsUrl,
      products: this.products,
      staleAfterMs: this.options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS,
      subscribeTimeoutMs: this.options.subscribeTimeoutMs ?? DEFAULT_SUBSCRIBE_TIMEOUT_MS,
      logger: this.options.logger,
      handlers: {
        onReady: (c) => this.guard(() => this.ready(c)),
        onMessage: (c, message) => this.guard(() => this.received(c, message)),
        onClose: (c, reason) => this.guard(() => this.lost(c, reason)),
      },
    });
  }

  private ready(connection: CoinbaseStreamConnection): void {
    if (connection !== this.connection) return;
    this.options.logger.info({ connection: connection.id, url: this.options.wsUrl }, 'coinbase: feed subscribed');
    this.reconnectAttempt = 0;
    if (!this.reported) {
      this.reported = true;
      this.sink?.onConnectionChange(true);
    }
  }

  private received(connection: CoinbaseStreamConnection, message: StreamMessage): void {
    if (connection !== this.connection || !this.sink) return;
    switch (message.kind) {
      case 'rejected':
        this.sink.onRejected(message.reason, message.detail);
        return;
      case 'trades': {
        const fresh = message.trades.filter((t) => this.dedupe.accept(t.trade.contractId, t.tradeId)).map((t) => t.trade);
        // A snapshot replays trades from before the subscription: history backfill covers that time, so they
        // only mark where the live trades continue.
        if (!message.snapshot && fresh.length > 0) this.sink.onTrades(fresh);
        return;
      }
      case 'quotes':
        for (const quote of message.quotes) this.sink.onQuote(quote);
        return;
      case 'heartbeat':
      case 'subscriptions':
      case 'ignored':
      case 'error':
        return;
    }
  }

  private lost(connection: CoinbaseStreamConnection, reason: string): void {
    if (connection !== this.connection) return;
    this.options.logger.warn({ connection: connection.id, reason }, 'coinbase: feed lost');
    this.connection = undefined;
    if (this.reported) {
      this.reported = false;
      this.sink?.onConnectionChange(false);
    }
    const delay = backoffDelay(++this.reconnectAttempt, this.options.reconnectBackoff);
    this.reconnectTimer = setTimeout(() => {
      if (this.sink) this.connection = this.connect();
    }, delay);
  }

  /** A bug in here or in the sink must not take the service down with an uncaught exception. */
  private guard(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.options.logger.error({ err: error }, 'coinbase: trade stream handler failed');
    }
  }
}

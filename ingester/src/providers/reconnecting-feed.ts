// One live feed connection at a time, reconnected with backoff until stop(): the feed is reported up when
// a connection is ready and down when it is lost (the ingester backfills on the reconnect). The Coinbase
// and Alpaca trade streams extend it with how they connect and what they do with what arrives.
import { backoffDelay, type BackoffOptions } from '@barstream/core';
import type { Logger } from '@barstream/core/node';
import type { ProviderSink } from './provider.ts';
import { TradeBatchingSink } from './trade-batching-sink.ts';

export type TradeStreamSink = Pick<ProviderSink, 'onTrades' | 'onQuote' | 'onRejected' | 'onConnectionChange'>;

export interface FeedConnection {
  readonly id: number;
  close(): Promise<void>;
}

export interface ReconnectingFeedOptions {
  /** Prefixes its log lines: 'coinbase', 'alpaca'. */
  readonly venue: string;
  readonly logger: Logger;
  readonly reconnectBackoff?: BackoffOptions;
}

export abstract class ReconnectingFeed<C extends FeedConnection> {
  /** The sink given to start(), the trades of one socket read merged into one onTrades call. */
  protected sink: TradeBatchingSink | undefined;
  /** The connection whose messages count; a message of any other is stale and ignored. */
  protected connection: C | undefined;
  private reported = false;
  private reconnectAttempt = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;

  constructor(private readonly feed: ReconnectingFeedOptions) {}

  /** Opens the first connection; from here on it reconnects by itself until stop(). */
  start(sink: TradeStreamSink): void {
    if (this.sink) return;
    this.sink = new TradeBatchingSink(sink, (error) =>
      this.feed.logger.error({ err: error }, `${this.feed.venue}: trade stream handler failed`),
    );
    this.connection = this.connect();
  }

  async stop(): Promise<void> {
    const connection = this.connection;
    this.guard(() => this.sink?.flush());
    this.sink = undefined;
    this.connection = undefined;
    this.reported = false;
    this.reconnectAttempt = 0;
    clearTimeout(this.reconnectTimer);
    await connection?.close();
  }

  /** A new connection, its handlers calling ready(), lost() and the venue's own through guard(). */
  protected abstract connect(): C;

  /** A wait that replaces the backoff before the next connection (e.g. after an error only a settings
   * change can fix); undefined: the backoff. */
  protected fixedReconnectDelayMs(): number | undefined {
    return undefined;
  }

  /** The connection is subscribed: the feed is up. */
  protected ready(connection: C, fields: Record<string, unknown>, message: string): void {
    if (connection !== this.connection) return;
    this.feed.logger.info({ connection: connection.id, ...fields }, `${this.feed.venue}: ${message}`);
    this.reconnectAttempt = 0;
    if (!this.reported) {
      this.reported = true;
      this.sink?.onConnectionChange(true);
    }
  }

  /** The connection is gone: the feed is down until the next one is ready. */
  protected lost(connection: C, reason: string, message: string): void {
    if (connection !== this.connection) return;
    this.feed.logger.warn({ connection: connection.id, reason }, `${this.feed.venue}: ${message}`);
    this.connection = undefined;
    if (this.reported) {
      this.reported = false;
      this.sink?.onConnectionChange(false);
    }
    const delay = this.fixedReconnectDelayMs() ?? backoffDelay(++this.reconnectAttempt, this.feed.reconnectBackoff);
    this.reconnectTimer = setTimeout(() => {
      if (this.sink) this.connection = this.connect();
    }, delay);
  }

  /** A bug in here or in the sink must not take the service down with an uncaught exception. */
  protected guard(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.feed.logger.error({ err: error }, `${this.feed.venue}: trade stream handler failed`);
    }
  }
}

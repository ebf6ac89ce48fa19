// Live Coinbase trades and quotes for a set of products: one feed connection kept alive and reconnected; a
// drop, a sequence gap or a refused subscription reports the feed lost, and the reconnect makes the ingester backfill.
import { ConfigError, type BackoffOptions, type Trade } from '@barstream/core';
import type { Logger } from '@barstream/core/node';
import { ReconnectingFeed } from '../reconnecting-feed.ts';
import { HighestTradeIdFilter } from '../trade-id-dedupe.ts';
import { CoinbaseStreamConnection } from './coinbase-stream-connection.ts';
import type { StreamMessage } from './coinbase-stream-message.ts';

export type { TradeStreamSink } from '../reconnecting-feed.ts';

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

export class CoinbaseTradeStream extends ReconnectingFeed<CoinbaseStreamConnection> {
  private readonly products: ReadonlySet<string>;
  private readonly dedupe = new HighestTradeIdFilter();

  constructor(private readonly options: CoinbaseTradeStreamOptions) {
    super({ venue: 'coinbase', logger: options.logger, reconnectBackoff: options.reconnectBackoff });
    const products = options.products.map((p) => p.trim().toUpperCase()).filter((p) => p.length > 0);
    if (products.length === 0) throw new ConfigError('coinbase: no products to stream');
    this.products = new Set(products);
  }

  protected override connect(): CoinbaseStreamConnection {
    return new CoinbaseStreamConnection({
      url: this.options.wsUrl,
      products: this.products,
      staleAfterMs: this.options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS,
      subscribeTimeoutMs: this.options.subscribeTimeoutMs ?? DEFAULT_SUBSCRIBE_TIMEOUT_MS,
      logger: this.options.logger,
      handlers: {
        onReady: (c) => this.guard(() => this.ready(c, { url: this.options.wsUrl }, 'feed subscribed')),
        onMessage: (c, message) => this.guard(() => this.received(c, message)),
        onClose: (c, reason) => this.guard(() => this.lost(c, reason, 'feed lost')),
      },
    });
  }

  private received(connection: CoinbaseStreamConnection, message: StreamMessage): void {
    if (connection !== this.connection || !this.sink) return;
    switch (message.kind) {
      case 'rejected':
        this.sink.onRejected(message.reason, message.detail);
        return;
      case 'trades': {
        const fresh = this.fresh(message.trades, message.ids);
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

  /** The trades no connection delivered before; the frame's own array when all are (the common case). `ids`:
   * each trade's id as a number (the parser's), so no id's text is read back. */
  private fresh(trades: readonly Trade[], ids: readonly number[]): readonly Trade[] {
    let k = 0;
    while (k < trades.length && this.isFresh(trades[k] as Trade, ids[k] as number)) k++;
    if (k === trades.length) return trades;
    const fresh = trades.slice(0, k);
    for (k++; k < trades.length; k++) if (this.isFresh(trades[k] as Trade, ids[k] as number)) fresh.push(trades[k] as Trade);
    return fresh;
  }

  private isFresh(trade: Trade, id: number): boolean {
    return this.dedupe.accept(trade.contractId, id);
  }
}

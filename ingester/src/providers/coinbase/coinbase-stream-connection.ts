// One WebSocket to the Advanced Trade market-data feed: subscribes at once (the venue drops a connection with no
// subscribe within 5 s), checks the per-connection sequence numbers, notices when the feed goes silent.
import type { Logger } from '@barstream/core/node';
import type { RawData } from 'ws';
import { FeedSocket, rawBytes } from '../feed-socket.ts';
import { parseStreamMessage, type StreamMessage } from './coinbase-stream-message.ts';

/** Channels subscribed on every connection: trades, quotes, and heartbeats to keep quiet channels open. */
export const SUBSCRIBED_CHANNELS = ['market_trades', 'ticker', 'heartbeats'] as const;

export interface StreamConnectionHandlers {
  /** The venue acknowledged market_trades for every product: the feed is live. */
  onReady(connection: CoinbaseStreamConnection): void;
  /** A message in sequence (acks and heartbeats included). */
  onMessage(connection: CoinbaseStreamConnection, message: StreamMessage): void;
  /** Called once when the socket is gone (failed to open, dropped, stale, a gap, refused) unless close() retired it first. */
  onClose(connection: CoinbaseStreamConnection, reason: string): void;
}

export interface StreamConnectionOptions {
  readonly url: string;
  readonly products: ReadonlySet<string>;
  /** No frame for this long (heartbeats come every second): the connection is dead. */
  readonly staleAfterMs: number;
  /** No acknowledgement of market_trades this long after opening: the subscription failed. */
  readonly subscribeTimeoutMs: number;
  readonly logger: Logger;
  readonly handlers: StreamConnectionHandlers;
}

export class CoinbaseStreamConnection extends FeedSocket {
  private subscribeTimer: NodeJS.Timeout | undefined;
  /** The sequence_num of the last message taken; undefined before the first. */
  private lastSequence: number | undefined;
  private ready = false;

  constructor(private readonly options: StreamConnectionOptions) {
    super({
      venue: 'coinbase',
      url: options.url,
      staleAfterMs: options.staleAfterMs,
      openTimeoutMs: options.staleAfterMs,
      logger: options.logger,
    });
  }

  get isReady(): boolean {
    return this.ready && !this.gone;
  }

  protected override opened(): void {
    const productIds = [...this.options.products];
    // One subscribe per channel, as the venue requires; public channels need no JWT.
    for (const channel of SUBSCRIBED_CHANNELS) this.ws.send(JSON.stringify({ type: 'subscribe', product_ids: productIds, channel }));
    this.subscribeTimer = setTimeout(
      () => this.drop(`no subscription acknowledgement within ${this.options.subscribeTimeoutMs} ms`),
      this.options.subscribeTimeoutMs,
    );
  }

  protected override received(data: RawData, isBinary: boolean): void {
    if (this.retired || this.gone) return;
    const { handlers } = this.options;
    if (isBinary) {
      handlers.onMessage(this, {
        kind: 'rejected',
        sequence: undefined,
        reason: 'coinbase: binary frame on a JSON feed',
        detail: undefined,
      });
      return;
    }
    const message = parseStreamMessage(rawBytes(data), this.options.products);
    const sequence = message.kind === 'error' ? undefined : message.sequence;
    if (sequence !== undefined) {
      const last = this.lastSequence;
      // Behind or equal: a message already taken (the docs allow late arrivals); its trades are not delivered twice.
      if (last !== undefined && sequence <= last) return;
      if (last !== undefined && sequence > last + 1) {
        this.drop(`sequence gap: ${last} then ${sequence} (${sequence - last - 1} message(s) lost)`);
        return;
      }
      this.lastSequence = sequence;
    }
    if (message.kind === 'error') {
      this.drop(`venue error: ${message.message.slice(0, 200)}`);
      return;
    }
    handlers.onMessage(this, message);
    if (message.kind === 'subscriptions' && !this.ready) {
      const acked = new Set(message.channels.market_trades ?? []);
      if ([...this.options.products].every((p) => acked.has(p))) {
        this.ready = true;
        clearTimeout(this.subscribeTimer);
        handlers.onReady(this);
      }
    }
  }

  protected override stopOwnTimers(): void {
    clearTimeout(this.subscribeTimer);
  }

  protected override ended(reason: string): void {
    this.options.handlers.onClose(this, reason);
  }
}

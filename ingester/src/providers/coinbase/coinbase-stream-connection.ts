// One WebSocket to the Advanced Trade market-data feed: subscribes at once (the venue drops a connection with no
// subscribe within 5 s), checks the per-connection sequence numbers, notices when the feed goes silent.
import type { Logger } from '@barstream/core/node';
import WebSocket, { type RawData } from 'ws';
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

/** How long a polite close may take before the socket is simply dropped. */
const CLOSE_GRACE_MS = 1_000;
let nextId = 1;

export class CoinbaseStreamConnection {
  readonly id = nextId++;
  private readonly ws: WebSocket;
  private lastActivity = Date.now();
  private readonly staleTimer: NodeJS.Timeout;
  private subscribeTimer: NodeJS.Timeout | undefined;
  /** The sequence_num of the last message taken; undefined before the first. */
  private lastSequence: number | undefined;
  private ready = false;
  private retired = false;
  private gone = false;
  private dropReason: string | undefined;
  private readonly closed: Promise<void>;

  constructor(private readonly options: StreamConnectionOptions) {
    const { logger } = options;
    this.ws = new WebSocket(options.url, { handshakeTimeout: options.staleAfterMs });
    this.closed = new Promise((resolve) => this.ws.once('close', () => resolve()));
    this.ws.on('open', () => this.opened());
    this.ws.on('ping', () => this.touch());
    this.ws.on('pong', () => this.touch());
    this.ws.on('message', (data, isBinary) => this.received(data, isBinary));
    this.ws.on('error', (error) => {
      if (!this.retired) logger.warn({ connection: this.id, err: error.message }, 'coinbase: stream socket error');
    });
    this.ws.on('close', (code, reason) => this.finish(`closed (${code}${reason.length > 0 ? ` ${reason.toString()}` : ''})`));
    // Checked a few times per stale period: cheaper than re-arming a timer on every message.
    this.staleTimer = setInterval(() => this.checkStale(), Math.max(10, Math.floor(options.staleAfterMs / 4)));
  }

  get isReady(): boolean {
    return this.ready && !this.gone;
  }

  /** Retires the connection: no more messages or onClose; closes politely, then drops it. Resolves once closed. */
  close(): Promise<void> {
    this.retired = true;
    this.stopTimers();
    if (this.ws.readyState === WebSocket.OPEN) {
      this.ws.close(1000);
      const force = setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS);
      void this.closed.then(() => clearTimeout(force));
    } else {
      this.ws.terminate();
    }
    return this.closed;
  }

  private opened(): void {
    this.touch();
    if (this.retired) return;
    const productIds = [...this.options.products];
    // One subscribe per channel, as the venue requires; public channels need no JWT.
    for (const channel of SUBSCRIBED_CHANNELS) this.ws.send(JSON.stringify({ type: 'subscribe', product_ids: productIds, channel }));
    this.subscribeTimer = setTimeout(
      () => this.drop(`no subscription acknowledgement within ${this.options.subscribeTimeoutMs} ms`),
      this.options.subscribeTimeoutMs,
    );
  }

  private received(data: RawData, isBinary: boolean): void {
    this.touch();
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
    const message = parseStreamMessage(rawText(data), this.options.products);
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

  private touch(): void {
    this.lastActivity = Date.now();
  }

  private checkStale(): void {
    const silentMs = Date.now() - this.lastActivity;
    if (this.gone || silentMs <= this.options.staleAfterMs) return;
    this.drop(`stale: nothing for ${silentMs} ms`);
  }

  /** Ends the connection for `reason`; onClose reports it once the socket is gone. */
  private drop(reason: string): void {
    if (this.gone || this.dropReason !== undefined) return;
    this.options.logger.warn({ connection: this.id, reason }, 'coinbase: dropping the stream connection');
    this.dropReason = reason;
    this.stopTimers();
    this.ws.terminate();
  }

  private stopTimers(): void {
    clearInterval(this.staleTimer);
    clearTimeout(this.subscribeTimer);
  }

  private finish(reason: string): void {
    if (this.gone) return;
    this.gone = true;
    this.stopTimers();
    if (!this.retired) this.options.handlers.onClose(this, this.dropReason ?? reason);
  }
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

// One WebSocket to a Binance combined stream: opens it, parses its frames, notices when it goes silent.
import type { Logger } from '@barstream/core/node';
import WebSocket from 'ws';
import { parseStreamMessage, type StreamEvent } from './binance-stream-message.ts';

export interface StreamConnectionHandlers {
  onOpen(connection: BinanceStreamConnection): void;
  onEvent(connection: BinanceStreamConnection, event: StreamEvent): void;
  /** Called once when the socket is gone (failed to open, dropped, went stale) unless close() retired it first. */
  onClose(connection: BinanceStreamConnection, reason: string): void;
}

export interface StreamConnectionOptions {
  readonly url: string;
  readonly symbols: ReadonlySet<string>;
  /** No frame and no ping for this long (Binance pings every 20 s): the connection is dead. */
  readonly staleAfterMs: number;
  readonly logger: Logger;
  readonly handlers: StreamConnectionHandlers;
}

/** How long a polite close may take before the socket is simply dropped. */
const CLOSE_GRACE_MS = 1_000;
let nextId = 1;

export class BinanceStreamConnection {
  readonly id = nextId++;
  private readonly ws: WebSocket;
  private lastActivity = Date.now();
  private readonly staleTimer: NodeJS.Timeout;
  private isOpen = false;
  private retired = false;
  private gone = false;
  private staleReason: string | undefined;
  private readonly closed: Promise<void>;

  constructor(private readonly options: StreamConnectionOptions) {
    const { handlers, logger } = options;
    this.ws = new WebSocket(options.url, { handshakeTimeout: options.staleAfterMs });
    this.closed = new Promise((resolve) => this.ws.once('close', () => resolve()));
    this.ws.on('open', () => {
      this.isOpen = true;
      this.touch();
      if (!this.retired) handlers.onOpen(this);
    });
    // `ws` answers every ping with a pong carrying the same payload (autoPong, on by default).
    this.ws.on('ping', () => this.touch());
    this.ws.on('pong', () => this.touch());
    this.ws.on('message', (data, isBinary) => {
      this.touch();
      if (!this.retired) handlers.onEvent(this, parseStreamMessage(data, isBinary, options.symbols));
    });
    this.ws.on('error', (error) => {
      if (!this.retired) logger.warn({ connection: this.id, err: error.message }, 'binance: stream socket error');
    });
    this.ws.on('close', (code, reason) => this.finish(`closed (${code}${reason.length > 0 ? ` ${reason.toString()}` : ''})`));
    // Checked a few times per stale period: cheaper than re-arming a timer on every message.
    this.staleTimer = setInterval(() => this.checkStale(), Math.max(10, Math.floor(options.staleAfterMs / 4)));
  }

  get open(): boolean {
    return this.isOpen && !this.gone;
  }

  /** Retires the connection: no more events or onClose; closes politely, then drops it. Resolves once closed. */
  close(): Promise<void> {
    this.retired = true;
    clearInterval(this.staleTimer);
    if (this.ws.readyState === WebSocket.OPEN) {
      this.ws.close(1000);
      const force = setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS);
      void this.closed.then(() => clearTimeout(force));
    } else {
      this.ws.terminate();
    }
    return this.closed;
  }

  private touch(): void {
    this.lastActivity = Date.now();
  }

  private checkStale(): void {
    const silentMs = Date.now() - this.lastActivity;
    if (this.gone || silentMs <= this.options.staleAfterMs) return;
    this.options.logger.warn({ connection: this.id, silentMs }, 'binance: stream silent (no message, no ping), dropping it');
    clearInterval(this.staleTimer);
    this.staleReason = `stale: nothing for ${silentMs} ms`;
    this.ws.terminate();
  }

  private finish(reason: string): void {
    if (this.gone) return;
    this.gone = true;
    clearInterval(this.staleTimer);
    if (!this.retired) this.options.handlers.onClose(this, this.staleReason ?? reason);
  }
}

// One WebSocket to a Binance combined stream: opens it, parses its frames, notices when it goes silent.
import type { Logger } from '@barstream/core/node';
import type { RawData } from 'ws';
import { FeedSocket } from '../feed-socket.ts';
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

export class BinanceStreamConnection extends FeedSocket {
  private isOpen = false;

  constructor(private readonly options: StreamConnectionOptions) {
    // `ws` answers every ping with a pong carrying the same payload (autoPong, on by default).
    super({
      venue: 'binance',
      url: options.url,
      staleAfterMs: options.staleAfterMs,
      openTimeoutMs: options.staleAfterMs,
      logger: options.logger,
    });
  }

  get open(): boolean {
    return this.isOpen && !this.gone;
  }

  protected override opened(): void {
    this.isOpen = true;
    this.options.handlers.onOpen(this);
  }

  protected override received(data: RawData, isBinary: boolean): void {
    if (!this.retired) this.options.handlers.onEvent(this, parseStreamMessage(data, isBinary, this.options.symbols));
  }

  protected override ended(reason: string): void {
    this.options.handlers.onClose(this, reason);
  }
}

// One WebSocket to an Alpaca stock feed: waits for "connected", authenticates, subscribes to trades and
// quotes, then hands parsed frames on; notices a silent connection and closes on any stream error.
import type { Logger } from '@barstream/core/node';
import type { RawData } from 'ws';
import { FeedSocket, rawBytes } from '../feed-socket.ts';
import { AlpacaStreamError } from './alpaca-errors.ts';
import { parseAlpacaFrame, type AlpacaFrame } from './alpaca-frame.ts';

export interface AlpacaConnectionHandlers {
  /** Authenticated and subscribed: data flows from here on. */
  onReady(connection: AlpacaStreamConnection): void;
  onFrame(connection: AlpacaStreamConnection, frame: AlpacaFrame): void;
  /** The stream sent {"T":"error"}; the connection closes after it. */
  onStreamError(connection: AlpacaStreamConnection, error: AlpacaStreamError): void;
  /** Called once when the socket is gone (failed to open, dropped, went stale) unless close() retired it first. */
  onClose(connection: AlpacaStreamConnection, reason: string): void;
}

export interface AlpacaConnectionOptions {
  /** e.g. wss://stream.data.alpaca.markets/v2/iex */
  readonly url: string;
  readonly keyId: string;
  readonly secretKey: string;
  readonly symbols: readonly string[];
  /** No frame and no pong for this long: the connection is dead. */
  readonly staleAfterMs: number;
  /** Longest the connected → authenticated → subscribed handshake may take. */
  readonly handshakeTimeoutMs: number;
  readonly logger: Logger;
  readonly handlers: AlpacaConnectionHandlers;
}

type Phase = 'connecting' | 'authenticating' | 'subscribing' | 'ready';

export class AlpacaStreamConnection extends FeedSocket {
  private readonly symbolSet: ReadonlySet<string>;
  private phase: Phase = 'connecting';
  private readonly handshakeTimer: NodeJS.Timeout;

  constructor(private readonly options: AlpacaConnectionOptions) {
    // Alpaca does not promise pings: we ping, and a pong (or any frame) proves the connection alive.
    super({
      venue: 'alpaca',
      url: options.url,
      staleAfterMs: options.staleAfterMs,
      openTimeoutMs: options.handshakeTimeoutMs,
      ping: true,
      logger: options.logger,
    });
    this.symbolSet = new Set(options.symbols);
    this.handshakeTimer = setTimeout(
      () => this.drop(`no subscription within ${options.handshakeTimeoutMs} ms (stuck ${this.phase})`),
      options.handshakeTimeoutMs,
    );
  }

  get ready(): boolean {
    return this.phase === 'ready' && !this.gone;
  }

  protected override received(data: RawData, isBinary: boolean): void {
    if (this.retired) return;
    const { handlers } = this.options;
    if (isBinary) {
      // We never ask for msgpack (Content-Type application/msgpack), so a binary frame is not ours to read.
      handlers.onFrame(this, {
        trades: [],
        quotes: [],
        control: [],
        skipped: 0,
        rejected: [{ reason: 'alpaca: binary frame on a JSON stream', detail: `${byteCount(data)} bytes` }],
      });
      return;
    }
    const frame = parseAlpacaFrame(rawBytes(data), this.symbolSet);
    for (const control of frame.control) {
      if (this.retired || this.gone) return;
      if (control.kind === 'error') {
        handlers.onStreamError(this, new AlpacaStreamError(control.code, control.msg));
        this.drop(`stream error ${control.code} ${control.msg}`);
        return;
      }
      if (control.kind === 'success' && control.msg === 'connected' && this.phase === 'connecting') {
        this.phase = 'authenticating';
        this.send({ action: 'auth', key: this.options.keyId, secret: this.options.secretKey });
      } else if (control.kind === 'success' && control.msg === 'authenticated' && this.phase === 'authenticating') {
        this.phase = 'subscribing';
        this.send({ action: 'subscribe', trades: this.options.symbols, quotes: this.options.symbols });
      } else if (control.kind === 'subscription' && this.phase === 'subscribing') {
        const missing = this.options.symbols.filter((s) => !control.trades.includes(s));
        if (missing.length > 0) {
          this.drop(`subscription lacks trades of ${missing.join(', ')}`);
          return;
        }
        this.phase = 'ready';
        clearTimeout(this.handshakeTimer);
        handlers.onReady(this);
      }
    }
    if (frame.trades.length > 0 || frame.quotes.length > 0 || frame.rejected.length > 0) handlers.onFrame(this, frame);
  }

  protected override stopOwnTimers(): void {
    clearTimeout(this.handshakeTimer);
  }

  protected override ended(reason: string): void {
    this.options.handlers.onClose(this, reason);
  }
}

function byteCount(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.length, 0);
  return data.byteLength;
}

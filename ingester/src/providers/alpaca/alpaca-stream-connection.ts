// One WebSocket to an Alpaca stock feed: waits for "connected", authenticates, subscribes to trades and
// quotes, then hands parsed frames on; notices a silent connection and closes on any stream error.
import type { Logger } from '@barstream/core/node';
import WebSocket, { type RawData } from 'ws';
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

/** How long a polite close may take before the socket is simply dropped. */
const CLOSE_GRACE_MS = 1_000;
let nextId = 1;

export class AlpacaStreamConnection {
  readonly id = nextId++;
  private readonly ws: WebSocket;
  private readonly symbolSet: ReadonlySet<string>;
  private phase: Phase = 'connecting';
  private lastActivity = Date.now();
  private readonly staleTimer: NodeJS.Timeout;
  private readonly handshakeTimer: NodeJS.Timeout;
  private retired = false;
  private gone = false;
  private failure: string | undefined;
  private readonly closed: Promise<void>;

  constructor(private readonly options: AlpacaConnectionOptions) {
    this.symbolSet = new Set(options.symbols);
    this.ws = new WebSocket(options.url, { handshakeTimeout: options.handshakeTimeoutMs });
    this.closed = new Promise((resolve) => this.ws.once('close', () => resolve()));
    this.ws.on('pong', () => this.touch());
    this.ws.on('ping', () => this.touch());
    this.ws.on('message', (data, isBinary) => this.receive(data, isBinary));
    this.ws.on('error', (error) => {
      if (!this.retired) options.logger.warn({ connection: this.id, err: error.message }, 'alpaca: stream socket error');
    });
    this.ws.on('close', (code, reason) => this.finish(`closed (${code}${reason.length > 0 ? ` ${reason.toString()}` : ''})`));
    // Alpaca does not promise pings: we ping, and a pong (or any frame) proves the connection alive.
    const checkEvery = Math.max(10, Math.floor(options.staleAfterMs / 4));
    this.staleTimer = setInterval(() => this.checkStale(), checkEvery);
    this.handshakeTimer = setTimeout(
      () => this.fail(`no subscription within ${options.handshakeTimeoutMs} ms (stuck ${this.phase})`),
      options.handshakeTimeoutMs,
    );
  }

  get ready(): boolean {
    return this.phase === 'ready' && !this.gone;
  }

  /** Retires the connection: no more events or onClose; closes politely, then drops it. Resolves once closed. */
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

  private receive(data: RawData, isBinary: boolean): void {
    this.touch();
    if (this.retired) return;
    const { handlers } = this.options;
    if (isBinary) {
      // We never ask for msgpack (Content-Type application/msgpack), so a binary frame is not ours to read.
      handlers.onFrame(this, {
        trades: [],
        quotes: [],
        control: [],
        skipped: 0,
        rejected: [{ reason: 'alpaca: binary frame on a JSON stream', detail: `${rawBytes(data)} bytes` }],
      });
      return;
    }
    const frame = parseAlpacaFrame(rawText(data), this.symbolSet);
    for (const control of frame.control) {
      if (this.retired || this.gone) return;
      if (control.kind === 'error') {
        handlers.onStreamError(this, new AlpacaStreamError(control.code, control.msg));
        this.fail(`stream error ${control.code} ${control.msg}`);
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
          this.fail(`subscription lacks trades of ${missing.join(', ')}`);
          return;
        }
        this.phase = 'ready';
        clearTimeout(this.handshakeTimer);
        handlers.onReady(this);
      }
    }
    if (frame.trades.length > 0 || frame.quotes.length > 0 || frame.rejected.length > 0) handlers.onFrame(this, frame);
  }

  private send(message: object): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  private touch(): void {
    this.lastActivity = Date.now();
  }

  private checkStale(): void {
    if (this.gone) return;
    const silentMs = Date.now() - this.lastActivity;
    if (silentMs > this.options.staleAfterMs) {
      this.options.logger.warn({ connection: this.id, silentMs }, 'alpaca: stream silent (no frame, no pong), dropping it');
      this.fail(`stale: nothing for ${silentMs} ms`);
      return;
    }
    if (this.ws.readyState === WebSocket.OPEN) this.ws.ping();
  }

  private fail(reason: string): void {
    this.failure ??= reason;
    this.stopTimers();
    this.ws.terminate();
  }

  private stopTimers(): void {
    clearInterval(this.staleTimer);
    clearTimeout(this.handshakeTimer);
  }

  private finish(reason: string): void {
    if (this.gone) return;
    this.gone = true;
    this.stopTimers();
    if (!this.retired) this.options.handlers.onClose(this, this.failure ?? reason);
  }
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function rawBytes(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.length, 0);
  return data.byteLength;
}

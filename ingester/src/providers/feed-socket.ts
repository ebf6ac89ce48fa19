// One WebSocket of a venue's live feed: opened, watched for silence, closed politely or dropped, its end
// reported once unless close() retired it. The Coinbase and Alpaca stream connections extend it with their
// handshake and what they do with each frame; Binance's with its parser.
import type { Logger } from '@barstream/core/node';
import WebSocket, { type RawData } from 'ws';
import { ReadFrameQueue } from './read-frame-queue.ts';

/** How long a polite close may take before the socket is simply dropped. */
const CLOSE_GRACE_MS = 1_000;
let nextId = 1;

export interface FeedSocketOptions {
  /** Prefixes its log lines: 'coinbase', 'alpaca'. */
  readonly venue: string;
  readonly url: string;
  /** No frame (and no ping or pong) for this long: the connection is dead. */
  readonly staleAfterMs: number;
  /** Longest the WebSocket's opening handshake may take. */
  readonly openTimeoutMs: number;
  /** Ping a quiet connection (for venues that do not promise pings): a pong proves it alive. */
  readonly ping?: boolean;
  readonly logger: Logger;
}

export abstract class FeedSocket {
  readonly id = nextId++;
  protected readonly ws: WebSocket;
  protected retired = false;
  protected gone = false;
  private lastActivity = Date.now();
  private readonly staleTimer: NodeJS.Timeout;
  private dropReason: string | undefined;
  private readonly closed: Promise<void>;
  /** A read's frames reach received() together, after ws has read them all (read-frame-queue.ts). */
  private readonly frames = new ReadFrameQueue((data, isBinary) => this.received(data, isBinary));

  constructor(private readonly socket: FeedSocketOptions) {
    // No permessage-deflate offer: neither venue needs it, and where a server takes the offer every frame
    // is inflated by zlib before it is parsed, more CPU per trade than the parse (docs/PROVIDERS.md).
    this.ws = new WebSocket(socket.url, { handshakeTimeout: socket.openTimeoutMs, perMessageDeflate: false });
    this.closed = new Promise((resolve) => this.ws.once('close', () => resolve()));
    this.ws.on('open', () => {
      this.touch();
      if (!this.retired) this.opened();
    });
    this.ws.on('ping', () => this.touch());
    this.ws.on('pong', () => this.touch());
    this.ws.on('message', (data, isBinary) => {
      this.touch();
      this.frames.push(data, isBinary);
    });
    this.ws.on('error', (error) => {
      if (!this.retired) socket.logger.warn({ connection: this.id, err: error.message }, `${socket.venue}: stream socket error`);
    });
    this.ws.on('close', (code, reason) => this.finish(`closed (${code}${reason.length > 0 ? ` ${reason.toString()}` : ''})`));
    // Checked a few times per stale period: cheaper than re-arming a timer on every message.
    this.staleTimer = setInterval(() => this.checkStale(), Math.max(10, Math.floor(socket.staleAfterMs / 4)));
  }

  /** Retires the connection: no more messages or end report; closes politely, then drops it. Resolves once closed. */
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

  /** The socket opened (not called once retired). */
  protected opened(): void {}

  /** A frame arrived (activity already noted). */
  protected abstract received(data: RawData, isBinary: boolean): void;

  /** The connection is gone for `reason` (not called once retired). */
  protected abstract ended(reason: string): void;

  /** Clears the venue's own timers (handshake, subscription). */
  protected stopOwnTimers(): void {}

  /** Ends the connection for `reason`; ended() reports it once the socket is gone. */
  protected drop(reason: string): void {
    if (this.gone || this.dropReason !== undefined) return;
    this.socket.logger.warn({ connection: this.id, reason }, `${this.socket.venue}: dropping the stream connection`);
    this.dropReason = reason;
    this.stopTimers();
    this.ws.terminate();
  }

  protected send(message: object): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  private touch(): void {
    this.lastActivity = Date.now();
  }

  private checkStale(): void {
    if (this.gone) return;
    const silentMs = Date.now() - this.lastActivity;
    if (silentMs > this.socket.staleAfterMs) this.drop(`stale: nothing for ${silentMs} ms`);
    else if (this.socket.ping && this.ws.readyState === WebSocket.OPEN) this.ws.ping();
  }

  private stopTimers(): void {
    clearInterval(this.staleTimer);
    this.stopOwnTimers();
  }

  private finish(reason: string): void {
    if (this.gone) return;
    this.gone = true;
    this.stopTimers();
    if (!this.retired) this.ended(this.dropReason ?? reason);
  }
}

/** A frame's bytes, whatever shape ws handed them in (a Buffer, unless a binaryType was set). */
export function rawBytes(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

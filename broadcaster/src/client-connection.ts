// One WebSocket client: reads its frames (rate, size, JSON, schema) and writes to it with
// backpressure — ticks are dropped first when it falls behind; too far behind, it is closed.
import { clientMessageSchema, type ClientMessage, type ProtocolErrorCode, type ServerControlMessage, WS_CLOSE } from '@barstream/core';
import type { Duplex } from 'node:stream';
import type { Logger } from '@barstream/core/node';
import { type RawData, WebSocket } from 'ws';
import { encodeControl } from './control-message.ts';
import { FrameBudget } from './frame-budget.ts';
import { HeldFrames } from './held-frames.ts';
import type { SubscriptionIndex } from './subscriptions.ts';
import { textFrame } from './text-frame.ts';
import type { WriteBatch } from './write-batch.ts';

export interface ClientLimits {
  /** Above this many bytes waiting to be written to the client, tick messages are dropped for it. */
  readonly dropTicksAboveBytes: number;
  /** Above this, the client is closed: it is too far behind to catch up. */
  readonly closeAboveBytes: number;
  /** Larger client frames get an error (frames far larger are cut off by ws: see hardMaxFrameBytes). */
  readonly maxMessageBytes: number;
  readonly framesPerSecond: number;
  /** Frames a client may send at once (its subscriptions on connect) before the rate applies. */
  readonly frameBurst: number;
  /** Refused frames within errorWindowMs after which the connection is closed. */
  readonly maxErrors: number;
  readonly errorWindowMs: number;
  readonly maxSubscriptions: number;
  /** A closed client that does not complete the close handshake (it stopped reading) is cut off after this. */
  readonly closeGraceMs: number;
}

export const DEFAULT_CLIENT_LIMITS: ClientLimits = {
  // 1 MiB is seconds of a busy contract's ticks; 8 MiB of bars and signals alone is hopeless.
  dropTicksAboveBytes: 1 << 20,
  closeAboveBytes: 8 << 20,
  maxMessageBytes: 4096,
  framesPerSecond: 20,
  frameBurst: 100,
  maxErrors: 5,
  errorWindowMs: 60_000,
  maxSubscriptions: 200,
  closeGraceMs: 5_000,
};

export type DisconnectReason = 'client' | 'too_far_behind' | 'protocol_errors' | 'heartbeat' | 'shutdown';

export interface ClientEvents {
  onFrame(accepted: boolean): void;
  /** The server decided to close this client (counted now: the socket may take a while to go). */
  onServerClose(why: DisconnectReason): void;
}

/** What deliver() did: a number, because it is counted on the hot path. */
export const SKIPPED = 0;
export const SENT = 1;
export const DROPPED = 2;
export type Delivery = typeof SKIPPED | typeof SENT | typeof DROPPED;

const MAX_ERROR_TEXT = 500;

export class ClientConnection {
  /** Cleared by each heartbeat, set by each pong. */
  alive = true;
  droppedTicks = 0;
  private closeReason: DisconnectReason | undefined;
  private closeTimer: NodeJS.Timeout | undefined;
  private readonly budget: FrameBudget;
  private errors = 0;
  private errorWindowStart = 0;
  private heldTurn = -1;
  private backlog = 0;
  private readonly held: HeldFrames;

  /** `raw` is the TCP socket under `socket` (the one the upgrade came on): each turn's frames to it
   * are held and written at the flush as one buffer (HeldFrames). */
  constructor(
    readonly socket: WebSocket,
    private readonly raw: Duplex,
    private readonly batch: WriteBatch,
    readonly remote: string,
    private readonly limits: ClientLimits,
    private readonly subscriptions: SubscriptionIndex<ClientConnection>,
    private readonly logger: Logger,
    private readonly events: ClientEvents,
  ) {
    this.budget = new FrameBudget(limits.framesPerSecond, limits.frameBurst);
    this.held = new HeldFrames(raw, batch);
    socket.on('message', (data, isBinary) => this.receive(data, isBinary));
    socket.on('pong', () => {
      this.alive = true;
    });
    // ws closes the socket itself after a protocol error (bad frame, hard size limit, bad UTF-8).
    socket.on('error', (err) => logger.debug({ client: remote, err: err.message }, 'client socket error'));
    socket.once('close', () => clearTimeout(this.closeTimer));
  }

  /** True once the server decided to close this client (see disconnect reasons). */
  get closedByServer(): boolean {
    return this.closeReason !== undefined;
  }

  /** Bytes waiting to be written to this client: the socket's buffer (ws's `bufferedAmount`) and
   * this turn's held frames. */
  get bufferedBytes(): number {
    return this.socket.bufferedAmount + this.held.bytes;
  }

  /** The hot path: one complete text frame (see text-frame.ts), shared by every client it goes to,
   * held for this turn's flush, which writes it straight to the TCP socket. Safe beside ws's own
   * writes (control frames, pings, close): without permessage-deflate ws writes synchronously, each
   * of its writes releases what is held first (HeldFrames), so frames stay whole and in order, and
   * `bufferedAmount` counts the released bytes too (it reads the socket's buffer). */
  deliver(frame: Buffer, droppable: boolean): Delivery {
    const socket = this.socket;
    if (socket.readyState !== WebSocket.OPEN || !this.raw.writable) return SKIPPED;
    if (this.heldTurn !== this.batch.turn) {
      this.heldTurn = this.batch.turn;
      // How far behind the client is: what earlier turns left unsent. What this turn writes is not
      // lag yet: a turn relays up to 256 KB of NOTIFYs (RelayQueue), which a healthy client takes.
      this.backlog = socket.bufferedAmount;
    }
    if (this.backlog > this.limits.closeAboveBytes) {
      this.close(WS_CLOSE.tryAgainLater, 'too far behind: reconnect and refetch', 'too_far_behind');
      return SKIPPED;
    }
    if (droppable && this.backlog > this.limits.dropTicksAboveBytes) {
      this.droppedTicks++;
      return DROPPED;
    }
    this.held.push(frame);
    return SENT;
  }

  ping(): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.ping();
  }

  /** Closes with a code and reason; a client that never completes the handshake is cut off later. */
  close(code: number, reason: string, why: DisconnectReason): void {
    if (this.closeReason !== undefined) return;
    this.closeReason = why;
    this.events.onServerClose(why);
    if (why !== 'shutdown')
      this.logger.info({ client: this.remote, why, droppedTicks: this.droppedTicks, buffered: this.bufferedBytes }, 'closing client');
    this.socket.close(code, reason);
    // The close frame waits behind the client's backlog; one that stopped reading never answers.
    this.closeTimer = setTimeout(() => this.socket.terminate(), this.limits.closeGraceMs);
    this.closeTimer.unref();
  }

  terminate(why: DisconnectReason): void {
    if (this.closeReason === undefined) {
      this.closeReason = why;
      this.events.onServerClose(why);
    }
    this.socket.terminate();
  }

  /** Handles one client frame; never throws on bad input. */
  private receive(data: RawData, isBinary: boolean): void {
    if (this.socket.readyState !== WebSocket.OPEN) return; // closing: nothing more is answered
    const message = this.parse(data, isBinary);
    this.events.onFrame(message !== undefined);
    if (message) this.handle(message);
  }

  private parse(data: RawData, isBinary: boolean): ClientMessage | undefined {
    if (!this.budget.take()) return this.refuse('rate_limited', `too many messages: at most ${this.limits.framesPerSecond} per second`);
    if (isBinary) return this.refuse('binary', 'binary frames are not supported: send JSON text');
    const bytes = asBuffer(data);
    if (bytes.length > this.limits.maxMessageBytes) {
      return this.refuse('too_large', `message of ${bytes.length} bytes is too large: at most ${this.limits.maxMessageBytes}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch {
      return this.refuse('not_json', 'message is not JSON');
    }
    const result = clientMessageSchema.safeParse(json);
    if (!result.success) {
      return this.refuse(
        'invalid',
        `invalid message: ${result.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; ')}`,
      );
    }
    return result.data;
  }

  private handle(m: ClientMessage): void {
    if (m.type === 'ping') {
      this.sendControl({ type: 'pong', id: m.id });
    } else if (m.type === 'subscribe') {
      const outcome = this.subscriptions.subscribe(this, m.channel, m.contract_id, m.timeframe);
      if (outcome === 'limit') this.refuse('subscription_limit', `at most ${this.limits.maxSubscriptions} subscriptions per connection`);
      else this.sendControl({ type: 'subscribed', channel: m.channel, contract_id: m.contract_id, timeframe: m.timeframe });
    } else {
      // Unsubscribing from something never subscribed is not an error: the client's wish holds.
      this.subscriptions.unsubscribe(this, m.channel, m.contract_id, m.timeframe);
      this.sendControl({ type: 'unsubscribed', channel: m.channel, contract_id: m.contract_id, timeframe: m.timeframe });
    }
  }

  private refuse(code: ProtocolErrorCode, message: string): undefined {
    this.sendControl({
      type: 'error',
      code,
      message: message.length > MAX_ERROR_TEXT ? `${message.slice(0, MAX_ERROR_TEXT - 1)}…` : message,
    });
    const now = Date.now();
    if (now - this.errorWindowStart > this.limits.errorWindowMs) {
      this.errorWindowStart = now;
      this.errors = 0;
    }
    if (++this.errors >= this.limits.maxErrors) this.close(WS_CLOSE.policyViolation, 'too many refused messages', 'protocol_errors');
    return undefined;
  }

  private sendControl(message: ServerControlMessage): void {
    let frame: Buffer;
    try {
      frame = textFrame(encodeControl(message));
    } catch (err) {
      this.logger.error({ err: (err as Error).message, type: message.type }, 'control message does not match the protocol; not sent');
      return;
    }
    // A client that asks (pings) but never reads is bounded like any other.
    this.deliver(frame, false);
  }
}

function asBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

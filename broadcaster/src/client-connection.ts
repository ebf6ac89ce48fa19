// One WebSocket client: its subscriptions, its frame budget, and backpressure on what we send it.
import { clientMessageSchema, type StreamChannel } from '@barstream/core';
import type { WebSocket } from 'ws';
import { type Routable, Subscriptions } from './subscriptions.ts';

export interface ClientLimits {
  /** Above this many buffered bytes, tick messages are dropped for this client. */
  readonly dropTicksAboveBytes: number;
  /** Above this, the client is closed: it is too far behind. */
  readonly closeAboveBytes: number;
  readonly maxFramesPerSecond: number;
  /** Protocol errors tolerated before the connection is closed. */
  readonly maxErrors: number;
}

export interface ClientCounters {
  onDropped(channel: StreamChannel): void;
  onSent(bytes: number): void;
}

export class ClientConnection {
  readonly subscriptions = new Subscriptions();
  alive = true;
  private errors = 0;
  private windowStart = Date.now();
  private framesInWindow = 0;

  constructor(readonly socket: WebSocket, private readonly limits: ClientLimits, private readonly counters: ClientCounters) {}

  /** Sends `raw` if subscribed; returns false when it was dropped or the client was closed. */
  deliver(message: Routable, raw: string): boolean {
    if (this.socket.readyState !== this.socket.OPEN || !this.subscriptions.matches(message)) return false;
    const buffered = this.socket.bufferedAmount;
    if (buffered > this.limits.closeAboveBytes) {
      this.socket.close(1013, 'too far behind: reconnect and refetch');
      return false;
    }
    if (message.channel === 'ticks' && buffered > this.limits.dropTicksAboveBytes) {
      this.counters.onDropped('ticks');
      return false;
    }
    this.socket.send(raw);
    this.counters.onSent(raw.length);
    return true;
  }

  send(message: object): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }

  /** Handles one client frame; never throws on bad input. */
  receive(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
    if (!this.withinRate()) return this.protocolError('too many messages: slow down');
    if (isBinary) return this.protocolError('binary frames are not supported: send JSON text');
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8'));
    } catch {
      return this.protocolError('message is not JSON');
    }
    const result = clientMessageSchema.safeParse(parsed);
    if (!result.success) {
      const detail = result.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; ');
      return this.protocolError(`invalid message: ${detail}`);
    }
    const m = result.data;
    if (m.type === 'ping') return this.send({ type: 'pong', id: m.id });
    if (m.type === 'subscribe') {
      this.subscriptions.add(m.channel, m.contract_id, m.timeframe);
      return this.send({ type: 'subscribed', channel: m.channel, contract_id: m.contract_id, timeframe: m.timeframe });
    }
    this.subscriptions.remove(m.channel, m.contract_id, m.timeframe);
    this.send({ type: 'unsubscribed', channel: m.channel, contract_id: m.contract_id, timeframe: m.timeframe });
  }

  private withinRate(): boolean {
    const now = Date.now();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.framesInWindow = 0;
    }
    return ++this.framesInWindow <= this.limits.maxFramesPerSecond;
  }

  private protocolError(message: string): void {
    this.send({ type: 'error', message });
    if (++this.errors >= this.limits.maxErrors) this.socket.close(1008, 'too many invalid messages');
  }
}

// WebSocket fan-out: admits clients (token, origin, capacity), keeps them alive (heartbeats) and
// delivers each relayed message, encoded once, to the clients whose subscriptions match.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type ResyncMessage, type StreamChannel, WS_CLOSE } from '@barstream/core';
import type { Logger } from '@barstream/core/node';
import { type WebSocket, WebSocketServer } from 'ws';
import { ClientConnection, type ClientLimits, DEFAULT_CLIENT_LIMITS, type DisconnectReason, DROPPED, SENT } from './client-connection.ts';
import { encodeControl } from './control-message.ts';
import { type Route, SubscriptionIndex } from './subscriptions.ts';
import { textFrame } from './text-frame.ts';
import { type RefusalReason, refuseUpgrade, UpgradeGate, type UpgradeGateOptions } from './upgrade-gate.ts';
import { WriteBatch } from './write-batch.ts';

export interface FanoutObserver {
  onClientFrame?(accepted: boolean): void;
  /** A client is going: counted when the server decides to close it, or when the client left. */
  onDisconnect?(reason: DisconnectReason): void;
  onRefusedUpgrade?(reason: RefusalReason): void;
}

export interface FanoutServerOptions {
  readonly host: string;
  readonly port: number;
  readonly token?: string;
  readonly tickets?: UpgradeGateOptions['tickets'];
  readonly allowedOrigins: readonly string[];
  readonly logger: Logger;
  readonly limits?: Partial<ClientLimits>;
  /** Frames above this are cut off by ws (close 1009) before they are buffered whole. */
  readonly hardMaxFrameBytes?: number;
  /** Between two heartbeats (each pings every client and drops one that did not answer the last
   * ping). 'manual': no timer; heartbeatNow() beats (tests drive it, so a busy test process is never
   * mistaken for a dead client). */
  readonly heartbeatMs?: number | 'manual';
  readonly maxClients?: number;
  readonly observer?: FanoutObserver;
  /** After each turn's writes were flushed (see WriteBatch). */
  readonly onFlushed?: () => void;
  /** Least time between two flushes of the clients' writes (WriteBatch); 0: after every turn. */
  readonly writeIntervalMs?: number;
}

export interface BroadcastCounts {
  readonly sent: number;
  readonly dropped: number;
  /** Size of the one encoded payload. */
  readonly bytes: number;
}

export interface FanoutStats {
  readonly clients: number;
  readonly subscriptions: Record<StreamChannel, number>;
  readonly bufferedBytes: number;
  readonly maxClientBufferedBytes: number;
}

const DEFAULT_HARD_MAX_FRAME_BYTES = 64 * 1024;
const DEFAULT_HEARTBEAT_MS = 15_000;
const DEFAULT_MAX_CLIENTS = 10_000;
/** How long stop() waits for clients to answer the close before cutting them off. */
const SHUTDOWN_GRACE_MS = 1_000;

export class FanoutServer {
  readonly subscriptions: SubscriptionIndex<ClientConnection>;
  private readonly clients = new Set<ClientConnection>();
  private readonly limits: ClientLimits;
  private readonly gate: UpgradeGate;
  private readonly batch: WriteBatch;
  private http: Server | undefined;
  private wss: WebSocketServer | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private stopping = false;
  private onEmpty: (() => void) | undefined;

  constructor(private readonly options: FanoutServerOptions) {
    this.limits = { ...DEFAULT_CLIENT_LIMITS, ...options.limits };
    this.subscriptions = new SubscriptionIndex(this.limits.maxSubscriptions);
    this.gate = new UpgradeGate({ token: options.token, tickets: options.tickets, allowedOrigins: options.allowedOrigins });
    this.batch = new WriteBatch(options.onFlushed, options.writeIntervalMs ?? 0);
  }

  get port(): number {
    return (this.http?.address() as AddressInfo | null)?.port ?? this.options.port;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  stats(): FanoutStats {
    let bufferedBytes = 0;
    let maxClientBufferedBytes = 0;
    for (const client of this.clients) {
      const b = client.bufferedBytes;
      bufferedBytes += b;
      if (b > maxClientBufferedBytes) maxClientBufferedBytes = b;
    }
    return { clients: this.clients.size, subscriptions: this.subscriptions.countByChannel(), bufferedBytes, maxClientBufferedBytes };
  }

  async start(): Promise<void> {
    if (this.http || this.stopping) return;
    const wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: this.options.hardMaxFrameBytes ?? DEFAULT_HARD_MAX_FRAME_BYTES,
    });
    const http = createServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' });
      res.end('barstream broadcaster: connect with a WebSocket client (see docs/WEBSOCKET.md)\n');
    });
    http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head));
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(this.options.port, this.options.host, () => {
        http.off('error', reject);
        resolve();
      });
    });
    http.on('error', (err) => this.options.logger.error({ err: err.message }, 'WebSocket HTTP server error'));
    this.http = http;
    this.wss = wss;
    const every = this.options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    if (every !== 'manual') this.heartbeat = setInterval(() => this.heartbeatNow(), every);
  }

  /** Clients pinged by the last heartbeat that have not answered yet. */
  unansweredPings(): number {
    let n = 0;
    for (const client of this.clients) if (!client.alive) n++;
    return n;
  }

  /** Sends one relayed NOTIFY payload to every matching client. The payload is encoded into one
   * WebSocket frame once; per client there is only the backpressure check and the write. */
  broadcast(route: Route, raw: string): BroadcastCounts {
    const payloadBytes = Buffer.byteLength(raw, 'utf8');
    let frame: Buffer | undefined;
    const droppable = route.channel === 'ticks';
    let sent = 0;
    let dropped = 0;
    this.subscriptions.forEachMatch(route, (client) => {
      // Built on the first match: a message nobody subscribed to costs no encoding.
      frame ??= textFrame(Buffer.from(raw, 'utf8'));
      const outcome = client.deliver(frame, droppable);
      if (outcome === SENT) sent++;
      else if (outcome === DROPPED) dropped++;
    });
    return { sent, dropped, bytes: payloadBytes };
  }

  /** Sends a resync to the clients that may have missed bars or ticks; returns how many got it. */
  sendResync(message: ResyncMessage): number {
    const frame = textFrame(encodeControl(message));
    let sent = 0;
    this.subscriptions.forEachWantingResync((client) => {
      if (client.deliver(frame, false) === SENT) sent++;
    });
    return sent;
  }

  /** Closes every client (1001), waits briefly for the handshakes, then closes the listener. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearInterval(this.heartbeat);
    this.batch.flushNow(); // what was relayed goes out before the close frames
    if (this.clients.size > 0) {
      const empty = new Promise<void>((resolve) => {
        this.onEmpty = resolve;
      });
      for (const client of this.clients) client.close(WS_CLOSE.goingAway, 'server shutting down', 'shutdown');
      const grace = new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
      await Promise.race([empty, grace]);
      for (const client of this.clients) client.terminate('shutdown');
    }
    this.wss?.close();
    const http = this.http;
    if (http) {
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      await closed;
    }
  }

  /** One listener for every socket: a closure made in upgrade() would share its scope with the one
   * handed to handleUpgrade, and so keep each client's upgrade request (headers and all) alive for
   * as long as the connection lasts — about a third of an idle client's heap. */
  private readonly onSocketError = (err: Error): void => this.options.logger.debug({ err: err.message }, 'upgrade socket error');

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', this.onSocketError);
    const refusal =
      this.gate.check(req) ??
      (this.stopping || this.clients.size >= (this.options.maxClients ?? DEFAULT_MAX_CLIENTS)
        ? { status: 503 as const, reason: 'capacity' as const, message: this.stopping ? 'shutting down' : 'too many clients' }
        : undefined);
    if (refusal || !this.wss) {
      if (refusal) this.options.observer?.onRefusedUpgrade?.(refusal.reason);
      refuseUpgrade(socket, refusal ?? { status: 503, message: 'not started' });
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, socket, req));
  }

  private accept(socket: WebSocket, raw: Duplex, req: IncomingMessage): void {
    const remote = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
    const observer = this.options.observer;
    const client = new ClientConnection(socket, raw, this.batch, remote, this.limits, this.subscriptions, this.options.logger, {
      onFrame: (accepted) => observer?.onClientFrame?.(accepted),
      onServerClose: (why) => observer?.onDisconnect?.(why),
    });
    this.clients.add(client);
    this.subscriptions.addClient(client);
    socket.once('close', () => {
      this.clients.delete(client);
      this.subscriptions.removeClient(client);
      if (!client.closedByServer) observer?.onDisconnect?.('client');
      if (this.clients.size === 0) this.onEmpty?.();
    });
  }

  /** One heartbeat: drops each client that did not answer the previous ping, pings the others. */
  heartbeatNow(): void {
    for (const client of this.clients) {
      if (!client.alive) {
        client.terminate('heartbeat');
        continue;
      }
      client.alive = false;
      client.ping();
    }
  }
}

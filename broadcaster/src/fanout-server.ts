// WebSocket fan-out: accepts clients (token, origin, frame size checks), delivers channel messages.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StreamChannel } from '@barstream/core';
import type { Logger } from '@barstream/core/node';
import { WebSocketServer } from 'ws';
import { ClientConnection, type ClientLimits } from './client-connection.ts';
import type { Routable } from './subscriptions.ts';

export interface FanoutServerOptions {
  readonly host: string;
  readonly port: number;
  readonly token?: string;
  readonly allowedOrigins: readonly string[];
  readonly logger: Logger;
  readonly limits?: Partial<ClientLimits>;
  readonly maxFrameBytes?: number;
  readonly heartbeatMs?: number;
  readonly onDropped?: (channel: StreamChannel) => void;
  readonly onSent?: (bytes: number) => void;
}

const DEFAULT_LIMITS: ClientLimits = {
  dropTicksAboveBytes: 1 << 20, closeAboveBytes: 16 << 20, maxFramesPerSecond: 50, maxErrors: 10,
};

export class FanoutServer {
  private http: Server | undefined;
  private wss: WebSocketServer | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  readonly clients = new Set<ClientConnection>();

  constructor(private readonly options: FanoutServerOptions) {}

  get port(): number {
    return (this.http?.address() as AddressInfo | null)?.port ?? this.options.port;
  }

  async start(): Promise<void> {
    const limits = { ...DEFAULT_LIMITS, ...this.options.limits };
    const http = createServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' });
      res.end('barstream broadcaster: connect with a WebSocket client');
    });
    const wss = new WebSocketServer({ server: http, maxPayload: this.options.maxFrameBytes ?? 4096,
      verifyClient: (info: { req: IncomingMessage; origin: string }, done: (ok: boolean, code?: number, message?: string) => void) => {
        const refusal = this.refusal(info.req, info.origin);
        if (refusal) done(false, refusal.code, refusal.message); else done(true);
      } });
    wss.on('connection', (socket) => {
      const client = new ClientConnection(socket, limits, {
        onDropped: (c) => this.options.onDropped?.(c), onSent: (b) => this.options.onSent?.(b),
      });
      this.clients.add(client);
      socket.on('pong', () => { client.alive = true; });
      socket.on('message', (data, isBinary) => client.receive(data as Buffer, isBinary));
      socket.on('error', (err) => this.options.logger.debug({ err: err.message }, 'client socket error'));
      socket.on('close', () => this.clients.delete(client));
    });
    this.heartbeat = setInterval(() => {
      for (const client of this.clients) {
        if (!client.alive) {
          client.socket.terminate();
          this.clients.delete(client);
          continue;
        }
        client.alive = false;
        client.socket.ping();
      }
    }, this.options.heartbeatMs ?? 15_000);
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(this.options.port, this.options.host, () => resolve());
    });
    this.http = http;
    this.wss = wss;
  }

  broadcast(message: Routable, raw: string): number {
    let delivered = 0;
    for (const client of this.clients) if (client.deliver(message, raw)) delivered++;
    return delivered;
  }

  /** Sends a control message (e.g. resync) to every client interested in `contractIds` (all when empty). */
  sendToAll(message: object): void {
    for (const client of this.clients) client.send(message);
  }

  async stop(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const client of this.clients) client.socket.close(1001, 'server shutting down');
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => (this.http ? this.http.close(() => resolve()) : resolve()));
    this.http?.closeAllConnections();
  }

  private refusal(req: IncomingMessage, origin: string | undefined): { code: number; message: string } | undefined {
    const { token, allowedOrigins } = this.options;
    if (token) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const given = url.searchParams.get('token') ?? req.headers.authorization?.replace(/^Bearer\s+/i, '');
      if (given !== token) return { code: 401, message: 'missing or wrong token' };
    }
    if (allowedOrigins.length > 0 && origin && !allowedOrigins.includes(origin)) {
      return { code: 403, message: `origin ${origin} not allowed` };
    }
    return undefined;
  }
}

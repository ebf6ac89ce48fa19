// Fake ProjectX market hub: the SignalR JSON hub protocol over a real WebSocket, with per-connection subscriptions.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

/** SignalR's record separator: every JSON message on the wire ends with it. */
const RS = '\x1e';
const HUB_PATH = '/hubs/market';

/** SignalR hub message types (JSON protocol). */
const Invocation = 1;
const Completion = 3;
const Ping = 6;
const Close = 7;

export interface HubInvocation {
  peer: number;
  target: string;
  args: unknown[];
}

interface Peer {
  id: number;
  socket: WebSocket;
  handshaken: boolean;
  subscriptions: Set<string>;
}

export class FakeProjectXHub {
  readonly invocations: HubInvocation[] = [];
  /** Upgrades refused for a bad or missing access_token. */
  rejectedUpgrades = 0;
  /** While true, WebSocket upgrades are refused as if the hub were unreachable. */
  refuseConnections = false;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly peers = new Set<Peer>();
  private readonly pinger: NodeJS.Timeout;
  private nextPeer = 0;

  constructor(
    private readonly isValidToken: (token: string | null) => boolean,
    pingIntervalMs = 1_000,
  ) {
    // The server pings too, so the client's server timeout never fires on a quiet tape.
    this.pinger = setInterval(() => this.broadcast({ type: Ping }, () => true), pingIntervalMs);
  }

  /** For http.Server 'upgrade': accepts /hubs/market?access_token=<valid token>, refuses anything else. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (url.pathname !== HUB_PATH || this.refuseConnections) return refuse(socket, 404, 'Not Found');
    if (!this.isValidToken(url.searchParams.get('access_token'))) {
      this.rejectedUpgrades++;
      return refuse(socket, 401, 'Unauthorized');
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  /** Connections that completed the handshake and hold `method(contractId)`, e.g. SubscribeContractTrades. */
  subscribers(method: string, contractId: string): number {
    return [...this.peers].filter((p) => p.subscriptions.has(`${method}:${contractId}`)).length;
  }

  invocationsOf(target: string): HubInvocation[] {
    return this.invocations.filter((i) => i.target === target);
  }

  openConnections(): number {
    return [...this.peers].filter((p) => p.handshaken).length;
  }

  /** GatewayTrade to the connections subscribed to this contract's trades; returns how many got it. */
  pushTrade(contractId: string, data: unknown): number {
    return this.broadcast({ type: Invocation, target: 'GatewayTrade', arguments: [contractId, data] }, (p) =>
      p.subscriptions.has(`SubscribeContractTrades:${contractId}`),
    );
  }

  /** Recorded trades replayed as fast as the socket takes them: `perMessage` per GatewayTrade, in
   * order, yielding to I/O between messages (what a vendor replaying a session at high speed sends). */
  async replayTrades(contractId: string, trades: readonly unknown[], perMessage = 100): Promise<number> {
    let messages = 0;
    for (let i = 0; i < trades.length; i += perMessage) {
      this.pushTrade(contractId, trades.slice(i, i + perMessage));
      messages++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    return messages;
  }

  pushQuote(contractId: string, data: unknown): number {
    return this.broadcast({ type: Invocation, target: 'GatewayQuote', arguments: [contractId, data] }, (p) =>
      p.subscriptions.has(`SubscribeContractQuotes:${contractId}`),
    );
  }

  /** Any invocation, subscribed or not (for malformed payloads). */
  pushInvocation(target: string, args: unknown[]): number {
    return this.broadcast({ type: Invocation, target, arguments: args }, () => true);
  }

  /** Raw text as one WebSocket frame (for frames that are not SignalR at all). */
  pushRaw(text: string): void {
    for (const peer of this.peers) if (peer.handshaken) peer.socket.send(text);
  }

  /** Kills every socket without a close frame: what a network cut looks like to the client. */
  dropAll(): void {
    for (const peer of this.peers) peer.socket.terminate();
  }

  /** A SignalR Close message: without allowReconnect the client must not reconnect by itself. */
  closeAll(opts: { error?: string; allowReconnect?: boolean } = {}): void {
    this.broadcast({ type: Close, ...opts }, () => true);
    for (const peer of this.peers) peer.socket.close(1000);
  }

  async close(): Promise<void> {
    clearInterval(this.pinger);
    for (const peer of this.peers) peer.socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(socket: WebSocket): void {
    const peer: Peer = { id: ++this.nextPeer, socket, handshaken: false, subscriptions: new Set() };
    this.peers.add(peer);
    socket.on('close', () => this.peers.delete(peer));
    socket.on('error', () => this.peers.delete(peer));
    socket.on('message', (data: Buffer) => {
      for (const record of String(data).split(RS)) if (record !== '') this.receive(peer, record);
    });
  }

  private receive(peer: Peer, record: string): void {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(record) as Record<string, unknown>;
    } catch {
      peer.socket.close(1003);
      return;
    }
    if (!peer.handshaken) {
      if (message.protocol !== 'json' || message.version !== 1) {
        peer.socket.send(JSON.stringify({ error: `protocol ${String(message.protocol)} v${String(message.version)} not supported` }) + RS);
        peer.socket.close(1002);
        return;
      }
      peer.handshaken = true;
      peer.socket.send(`{}${RS}`);
      return;
    }
    if (message.type === Close) return void peer.socket.close(1000);
    if (message.type !== Invocation || typeof message.target !== 'string') return;
    const args = Array.isArray(message.arguments) ? (message.arguments as unknown[]) : [];
    this.invocations.push({ peer: peer.id, target: message.target, args });
    if (/^Subscribe/.test(message.target)) peer.subscriptions.add(`${message.target}:${String(args[0])}`);
    if (/^Unsubscribe/.test(message.target)) peer.subscriptions.delete(`${message.target.replace(/^Uns/, 'S')}:${String(args[0])}`);
    if (typeof message.invocationId === 'string') {
      peer.socket.send(JSON.stringify({ type: Completion, invocationId: message.invocationId, result: null }) + RS);
    }
  }

  private broadcast(message: object, to: (peer: Peer) => boolean): number {
    let sent = 0;
    for (const peer of this.peers) {
      if (!peer.handshaken || !to(peer)) continue;
      peer.socket.send(JSON.stringify(message) + RS);
      sent++;
    }
    return sent;
  }
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

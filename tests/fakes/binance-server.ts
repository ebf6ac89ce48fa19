// A local stand-in for Binance spot speaking its protocol: GET /api/v3/klines over HTTP, /stream combined trade streams over ws.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

/** One kline as Binance stores it: times in ms, prices and quantities as decimal strings. */
export interface FakeKline {
  readonly openTime: number;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
  readonly closeTime: number;
}

export interface KlinesRequest {
  readonly query: Readonly<Record<string, string>>;
  readonly receivedAt: number;
  readonly status: number;
}

/** A response to give instead of the real one (e.g. 429 with Retry-After). */
export interface ForcedResponse {
  readonly status: number;
  readonly retryAfterSec?: number;
  readonly body?: unknown;
}

export interface FakeStreamConnection {
  readonly socket: WebSocket;
  readonly streams: readonly string[];
  readonly pongs: Buffer[];
  closeCode: number | undefined;
}

export interface FakeTrade {
  readonly symbol: string;
  readonly id: number;
  readonly price: string;
  readonly qty: string;
  readonly time: number;
  readonly buyerIsMaker: boolean;
}

const INTERVALS = new Set(['1s', '1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '3d', '1w', '1M']);
const DEFAULT_LIMIT = 500;
const MAX_LIMIT = 1000;
const KLINES_WEIGHT = 2;

export class FakeBinanceServer {
  readonly klineRequests: KlinesRequest[] = [];
  readonly connections: FakeStreamConnection[] = [];
  /** X-MBX-USED-WEIGHT-1M before the next request adds its weight. */
  usedWeight = 0;
  private readonly klines = new Map<string, FakeKline[]>();
  private readonly forced: ForcedResponse[] = [];
  private readonly pinger: NodeJS.Timeout | undefined;

  private constructor(
    private readonly http: Server,
    private readonly wss: WebSocketServer,
    pingIntervalMs?: number,
  ) {
    http.on('request', (req, res) => this.serveRest(req, res));
    wss.on('connection', (socket, req) => this.accept(socket, req));
    this.pinger = pingIntervalMs ? setInterval(() => this.ping(Buffer.from('keepalive')), pingIntervalMs) : undefined;
  }

  static async start(options: { pingIntervalMs?: number } = {}): Promise<FakeBinanceServer> {
    const http = createServer();
    const wss = new WebSocketServer({ server: http, path: '/stream' });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    return new FakeBinanceServer(http, wss, options.pingIntervalMs);
  }

  get restUrl(): string {
    return `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  /** Connections the server still holds open. */
  get open(): FakeStreamConnection[] {
    return this.connections.filter((c) => c.socket.readyState === WebSocket.OPEN);
  }

  setKlines(symbol: string, interval: string, rows: readonly FakeKline[]): void {
    this.klines.set(
      `${symbol}:${interval}`,
      [...rows].sort((a, b) => a.openTime - b.openTime),
    );
  }

  /** The next requests get these responses, in order, instead of data. */
  forceNext(...responses: ForcedResponse[]): void {
    this.forced.push(...responses);
  }

  sendTrade(trade: FakeTrade, to: readonly FakeStreamConnection[] = this.open): void {
    const stream = `${trade.symbol.toLowerCase()}@trade`;
    this.sendRaw(
      JSON.stringify({
        stream,
        data: {
          e: 'trade',
          E: trade.time + 1,
          s: trade.symbol,
          t: trade.id,
          p: trade.price,
          q: trade.qty,
          T: trade.time,
          m: trade.buyerIsMaker,
          M: true,
        },
      }),
      to,
    );
  }

  sendServerShutdown(to: readonly FakeStreamConnection[] = this.open): void {
    this.sendRaw(JSON.stringify({ stream: '!serverShutdown', data: { e: 'serverShutdown', E: Date.now() } }), to);
  }

  sendRaw(data: string | Buffer, to: readonly FakeStreamConnection[] = this.open, binary = false): void {
    for (const c of to) c.socket.send(data, { binary });
  }

  ping(payload: Buffer, to: readonly FakeStreamConnection[] = this.open): void {
    for (const c of to) c.socket.ping(payload);
  }

  /** Drops every socket without a close frame, like a network failure. */
  terminateAll(): void {
    for (const c of this.open) c.socket.terminate();
  }

  async close(): Promise<void> {
    clearInterval(this.pinger);
    for (const c of this.connections) c.socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private accept(socket: WebSocket, req: IncomingMessage): void {
    const streams = new URL(req.url ?? '/', 'http://x').searchParams.get('streams');
    if (!streams) {
      socket.close(1008, 'streams missing');
      return;
    }
    const connection: FakeStreamConnection = { socket, streams: streams.split('/'), pongs: [], closeCode: undefined };
    socket.on('pong', (data) => connection.pongs.push(data));
    socket.on('close', (code) => {
      connection.closeCode = code;
    });
    this.connections.push(connection);
  }

  private serveRest(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method !== 'GET' || url.pathname !== '/api/v3/klines') return reply(res, 404, { code: -1, msg: 'not found' });
    const query = Object.fromEntries(url.searchParams);
    const respond = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      this.klineRequests.push({ query, receivedAt: Date.now(), status });
      this.usedWeight += KLINES_WEIGHT;
      reply(res, status, body, { 'x-mbx-used-weight-1m': String(this.usedWeight), ...headers });
    };
    const forced = this.forced.shift();
    if (forced) {
      const headers: Record<string, string> = forced.retryAfterSec === undefined ? {} : { 'retry-after': String(forced.retryAfterSec) };
      return respond(
        forced.status,
        forced.body ?? { code: -1003, msg: 'Too many requests; current limit of IP is 6000 request weight per 1 MINUTE.' },
        headers,
      );
    }
    const { symbol, interval } = query;
    if (!symbol) return respond(400, { code: -1102, msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed." });
    if (!interval || !INTERVALS.has(interval)) return respond(400, { code: -1120, msg: 'Invalid interval.' });
    const rows = this.klines.get(`${symbol}:${interval}`);
    if (!rows) return respond(400, { code: -1121, msg: 'Invalid symbol.' });
    const startTime = query.startTime === undefined ? undefined : Number(query.startTime);
    const endTime = query.endTime === undefined ? undefined : Number(query.endTime);
    if (startTime !== undefined && endTime !== undefined && startTime > endTime) {
      return respond(400, { code: -1023, msg: 'Start time is greater than end time.' });
    }
    const limit = Math.min(MAX_LIMIT, query.limit === undefined ? DEFAULT_LIMIT : Number(query.limit));
    const inRange = rows.filter(
      (k) => (startTime === undefined || k.openTime >= startTime) && (endTime === undefined || k.openTime <= endTime),
    );
    // From startTime forward when given; otherwise the most recent `limit` (still oldest first).
    const page = startTime === undefined ? inRange.slice(-limit) : inRange.slice(0, limit);
    respond(
      200,
      page.map((k) => [
        k.openTime,
        k.open,
        k.high,
        k.low,
        k.close,
        k.volume,
        k.closeTime,
        '0.00000000',
        1,
        '0.00000000',
        '0.00000000',
        '0',
      ]),
    );
  }
}

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...headers });
  res.end(JSON.stringify(body));
}

/** `count` consecutive klines of `intervalMs` from `startMs`, prices derived from the index (exact in decimal). */
export function klineSeries(startMs: number, count: number, intervalMs: number): FakeKline[] {
  return Array.from({ length: count }, (_, i) => {
    const base = 100 + (i % 50);
    return {
      openTime: startMs + i * intervalMs,
      open: `${base}.25000000`,
      high: `${base + 1}.50000000`,
      low: `${base - 1}.00000000`,
      close: `${base}.75000000`,
      volume: `${i}.12500000`,
      closeTime: startMs + (i + 1) * intervalMs - 1,
    };
  });
}

// A local stand-in for Coinbase Advanced Trade public market data speaking its protocol: REST candles and
// products over HTTP, the market-data feed (subscribe per channel, sequence_num per connection, snapshot then
// updates, heartbeats, {"type":"error"} refusals) over ws.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

/** One candle as the venue stores it: start in UNIX seconds, prices and volume as decimal strings. */
export interface FakeCandle {
  readonly start: number;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
}

export interface FakeTrade {
  readonly productId: string;
  readonly id: number;
  readonly price: string;
  readonly size: string;
  /** Epoch ms (fractional for µs). */
  readonly time: number;
  readonly side: 'BUY' | 'SELL';
}

export interface CandlesRequest {
  readonly productId: string;
  readonly query: Readonly<Record<string, string>>;
  readonly status: number;
}

/** A response to give instead of the real one (e.g. 429 with Retry-After). */
export interface ForcedResponse {
  readonly status: number;
  readonly retryAfterSec?: number;
  readonly body?: unknown;
}

export interface FakeFeedConnection {
  readonly socket: WebSocket;
  /** Channel → product ids, as subscribed. */
  readonly subscriptions: Map<string, string[]>;
  /** The next sequence_num this connection sends. */
  sequence: number;
}

export interface FakeCoinbaseOptions {
  /** Send a heartbeats message to every connection subscribed to heartbeats this often. */
  readonly heartbeatIntervalMs?: number;
  /** Trades every new market_trades subscription gets as its snapshot (newest first, as the venue sends). */
  readonly snapshotTrades?: readonly FakeTrade[];
  /** Refuse subscriptions to these channels with {"type":"error"} (like an unauthenticated user channel). */
  readonly refuseChannels?: readonly string[];
  /** Take subscriptions without acknowledging them (nor sending anything). */
  readonly silent?: boolean;
}

const GRANULARITY_SECONDS: Readonly<Record<string, number>> = {
  ONE_MINUTE: 60,
  FIVE_MINUTE: 300,
  FIFTEEN_MINUTE: 900,
  THIRTY_MINUTE: 1800,
  ONE_HOUR: 3600,
  TWO_HOUR: 7200,
  FOUR_HOUR: 14_400,
  SIX_HOUR: 21_600,
  ONE_DAY: 86_400,
};
/** The venue refuses a span of 350 candles or more, both ends counted ("should be less than 350"). */
const MAX_CANDLES = 350;

export class FakeCoinbaseServer {
  readonly candleRequests: CandlesRequest[] = [];
  /** Every REST request's path and status, in order. */
  readonly requests: { path: string; status: number }[] = [];
  readonly connections: FakeFeedConnection[] = [];
  readonly products = new Map<string, { quoteIncrement: string }>();
  private readonly candles = new Map<string, FakeCandle[]>();
  private readonly forced: ForcedResponse[] = [];
  private readonly heartbeat: NodeJS.Timeout | undefined;
  private heartbeatCounter = 0;

  private constructor(
    private readonly http: Server,
    private readonly wss: WebSocketServer,
    private readonly options: FakeCoinbaseOptions,
  ) {
    http.on('request', (req, res) => this.serveRest(req, res));
    wss.on('connection', (socket) => this.accept(socket));
    this.heartbeat = options.heartbeatIntervalMs ? setInterval(() => this.sendHeartbeats(), options.heartbeatIntervalMs) : undefined;
  }

  static async start(options: FakeCoinbaseOptions = {}): Promise<FakeCoinbaseServer> {
    const http = createServer();
    const wss = new WebSocketServer({ server: http });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    return new FakeCoinbaseServer(http, wss, options);
  }

  get restUrl(): string {
    return `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  /** Connections still open that subscribed to market_trades. */
  get open(): FakeFeedConnection[] {
    return this.connections.filter((c) => c.socket.readyState === WebSocket.OPEN && c.subscriptions.has('market_trades'));
  }

  setProduct(productId: string, quoteIncrement: string): void {
    this.products.set(productId, { quoteIncrement });
  }

  setCandles(productId: string, granularity: string, rows: readonly FakeCandle[]): void {
    this.candles.set(
      `${productId}:${granularity}`,
      [...rows].sort((a, b) => a.start - b.start),
    );
  }

  /** The next REST requests get these responses, in order, instead of data. */
  forceNext(...responses: ForcedResponse[]): void {
    this.forced.push(...responses);
  }

  /** One market_trades update carrying `trades` (the venue batches 250 ms of trades, newest first). */
  sendTrades(trades: readonly FakeTrade[], to: readonly FakeFeedConnection[] = this.open): void {
    for (const c of to) this.sendEnvelope(c, 'market_trades', [{ type: 'update', trades: [...trades].reverse().map(wireTrade) }]);
  }

  sendTicker(productId: string, price: string, bestBid: string, bestAsk: string, to: readonly FakeFeedConnection[] = this.open): void {
    const ticker = { type: 'ticker', product_id: productId, price, best_bid: bestBid, best_ask: bestAsk, volume_24_h: '1.0' };
    for (const c of to) this.sendEnvelope(c, 'ticker', [{ type: 'update', tickers: [ticker] }]);
  }

  /** Consumes `count` sequence numbers without sending them, as if those messages were lost. */
  skipSequence(count: number, to: readonly FakeFeedConnection[] = this.open): void {
    for (const c of to) c.sequence += count;
  }

  /** An envelope with the connection's next sequence_num around arbitrary events (for malformed contents). */
  sendEnvelope(c: FakeFeedConnection, channel: string, events: unknown[]): void {
    const sequence_num = c.sequence++;
    c.socket.send(JSON.stringify({ channel, client_id: '', timestamp: new Date().toISOString(), sequence_num, events }));
  }

  sendRaw(data: string | Buffer, to: readonly FakeFeedConnection[] = this.open, binary = false): void {
    for (const c of to) c.socket.send(data, { binary });
  }

  /** Drops every socket without a close frame, like a network failure. */
  terminateAll(): void {
    for (const c of this.connections) if (c.socket.readyState === WebSocket.OPEN) c.socket.terminate();
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const c of this.connections) c.socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private accept(socket: WebSocket): void {
    const connection: FakeFeedConnection = { socket, subscriptions: new Map(), sequence: 0 };
    this.connections.push(connection);
    // The venue's deadline: no subscribe within 5 s and the connection is closed.
    const deadline = setTimeout(() => {
      if (connection.subscriptions.size === 0) socket.close(1008, 'subscribe timeout');
    }, 5_000);
    socket.on('close', () => clearTimeout(deadline));
    socket.on('message', (data: Buffer) => this.subscribe(connection, data.toString('utf8')));
  }

  private subscribe(c: FakeFeedConnection, text: string): void {
    let request: { type?: unknown; channel?: unknown; product_ids?: unknown };
    try {
      request = JSON.parse(text) as typeof request;
    } catch {
      c.socket.send(JSON.stringify({ type: 'error', message: 'failure to parse request' }));
      return;
    }
    const { type, channel, product_ids } = request;
    if (type !== 'subscribe' || typeof channel !== 'string' || !Array.isArray(product_ids)) {
      c.socket.send(JSON.stringify({ type: 'error', message: 'failure to subscribe: malformed request' }));
      return;
    }
    if (this.options.refuseChannels?.includes(channel)) {
      c.socket.send(JSON.stringify({ type: 'error', message: 'authentication failure' }));
      return;
    }
    const ids = product_ids.filter((p): p is string => typeof p === 'string');
    c.subscriptions.set(channel, ids);
    if (this.options.silent) return;
    this.sendEnvelope(c, 'subscriptions', [{ subscriptions: Object.fromEntries(c.subscriptions) }]);
    if (channel === 'market_trades') {
      const snapshot = (this.options.snapshotTrades ?? []).filter((t) => ids.includes(t.productId));
      this.sendEnvelope(c, 'market_trades', [{ type: 'snapshot', trades: [...snapshot].reverse().map(wireTrade) }]);
    }
  }

  private sendHeartbeats(): void {
    this.heartbeatCounter++;
    for (const c of this.connections) {
      if (c.socket.readyState !== WebSocket.OPEN || !c.subscriptions.has('heartbeats')) continue;
      this.sendEnvelope(c, 'heartbeats', [{ current_time: new Date().toISOString(), heartbeat_counter: this.heartbeatCounter }]);
    }
  }

  private serveRest(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const match = /^\/api\/v3\/brokerage\/market\/products\/([^/]+)(\/candles)?$/.exec(url.pathname);
    if (req.method !== 'GET' || !match) {
      this.requests.push({ path: url.pathname, status: 404 });
      return reply(res, 404, { error: 'NOT_FOUND', message: 'Not Found' });
    }
    const productId = decodeURIComponent(match[1] ?? '');
    const query = Object.fromEntries(url.searchParams);
    const isCandles = match[2] !== undefined;
    const respond = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      this.requests.push({ path: url.pathname, status });
      if (isCandles) this.candleRequests.push({ productId, query, status });
      reply(res, status, body, headers);
    };
    const forced = this.forced.shift();
    if (forced) {
      const headers: Record<string, string> = forced.retryAfterSec === undefined ? {} : { 'retry-after': String(forced.retryAfterSec) };
      return respond(forced.status, forced.body ?? { error: 'RATE_LIMIT_EXCEEDED', message: 'Too many requests' }, headers);
    }
    const product = this.products.get(productId);
    if (!product) return respond(404, { error: 'NOT_FOUND', error_details: 'ProductID is invalid', message: 'ProductID is invalid' });
    if (!isCandles) {
      return respond(200, {
        product_id: productId,
        price: '1',
        quote_increment: product.quoteIncrement,
        base_increment: '0.00000001',
        status: 'online',
      });
    }
    const seconds = GRANULARITY_SECONDS[query.granularity ?? ''];
    if (seconds === undefined) return respond(400, { error: 'INVALID_ARGUMENT', error_details: 'granularity is invalid' });
    const start = Number(query.start);
    const end = Number(query.end);
    if (!Number.isInteger(start) || !Number.isInteger(end) || start > end)
      return respond(400, { error: 'INVALID_ARGUMENT', error_details: 'start and end argument is invalid' });
    if ((end - start) / seconds + 1 >= MAX_CANDLES)
      return respond(400, {
        error: 'INVALID_ARGUMENT',
        error_details: 'start and end argument is invalid - number of candles requested should be less than 350',
      });
    const rows = this.candles.get(`${productId}:${query.granularity ?? ''}`) ?? [];
    // Candles opening in [start, end), newest first, every field a string.
    const page = rows.filter((c) => c.start >= start && c.start < end).reverse();
    respond(200, { candles: page.map((c) => ({ ...c, start: String(c.start) })) });
  }
}

function wireTrade(t: FakeTrade): Record<string, string> {
  const whole = Math.floor(t.time);
  const micros = Math.round((t.time - whole) * 1000);
  const iso = new Date(whole).toISOString().replace('Z', `${String(micros).padStart(3, '0')}Z`);
  return { trade_id: String(t.id), product_id: t.productId, price: t.price, size: t.size, side: t.side, time: iso };
}

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** `count` consecutive candles of `seconds` from `startSec`, prices derived from the index (exact in decimal). */
export function candleSeries(startSec: number, count: number, seconds: number): FakeCandle[] {
  return Array.from({ length: count }, (_, i) => {
    const base = 100 + (i % 50);
    return {
      start: startSec + i * seconds,
      open: `${base}.25`,
      high: `${base + 1}.5`,
      low: `${base - 1}`,
      close: `${base}.75`,
      volume: `${i}.125`,
    };
  });
}

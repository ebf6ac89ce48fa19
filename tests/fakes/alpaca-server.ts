// A local stand-in for Alpaca Market Data v2 speaking its protocol: GET /v2/stocks/{symbol}/bars over HTTP
// (key headers, next_page_token paging, 429 with X-RateLimit-*), and the stock stream /v2/{feed} over ws
// (JSON framing: connected → auth → subscribe, trades and quotes, the documented error codes).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { aggregateTape, type FakeAlpacaTrade, type TapeBar } from './alpaca-tape.ts';

export type { FakeAlpacaTrade } from './alpaca-tape.ts';

export interface BarsRequest {
  readonly symbol: string;
  readonly query: Readonly<Record<string, string>>;
  readonly status: number;
}

/** A response to give instead of the real one (e.g. 429 with X-RateLimit-Reset). */
export interface ForcedResponse {
  readonly status: number;
  readonly retryAfterSec?: number;
  /** Epoch seconds for X-RateLimit-Reset (with X-RateLimit-Remaining: 0). */
  readonly resetAtSec?: number;
  readonly body?: unknown;
}

export interface FakeStreamConnection {
  readonly socket: WebSocket;
  readonly feed: string;
  /** Every client message, as received (auth messages included: tests check what was sent). */
  readonly received: string[];
  authenticated: boolean;
  trades: Set<string>;
  quotes: Set<string>;
  closeCode: number | undefined;
}

export interface FakeAlpacaOptions {
  readonly keyId: string;
  readonly secretKey: string;
  /** Alpaca closes a connection that has not authenticated within 10 s (error 404). */
  readonly authTimeoutMs?: number;
  /** Authenticated connections per key and feed (1 on most plans; a second gets error 406). */
  readonly connectionLimit?: number;
  /** Drop auth messages unanswered, as if they were lost: the auth timeout (404) follows. */
  readonly ignoreAuth?: boolean;
}

const FEEDS = new Set(['iex', 'sip', 'delayed_sip', 'test']);
const REST_FEEDS = new Set(['iex', 'sip', 'delayed_sip', 'boats', 'otc']);
const ADJUSTMENTS = new Set(['raw', 'split', 'dividend', 'all']);
const DEFAULT_LIMIT = 1000;
const MAX_LIMIT = 10_000;

export class FakeAlpacaServer {
  readonly barRequests: BarsRequest[] = [];
  readonly connections: FakeStreamConnection[] = [];
  /** Every trade of the market, delivered live or not: the REST history is built from it. */
  readonly tape: FakeAlpacaTrade[] = [];
  /** REST bars only cover trades before this instant (a vendor publishes a minute once it is over). */
  publishedUntil = Infinity;
  /** The account's request budget per rate window (Alpaca's basic plan: 200 a minute); over it, 429. */
  rateLimit = 200;
  /** When the current rate window ends, epoch seconds (X-RateLimit-Reset). */
  rateResetAtSec = Math.ceil(Date.now() / 1000) + 60;
  private usedInWindow = 0;
  private readonly forced: ForcedResponse[] = [];
  private readonly options: Required<FakeAlpacaOptions>;

  private constructor(
    private readonly http: Server,
    private readonly wss: WebSocketServer,
    options: FakeAlpacaOptions,
  ) {
    this.options = { authTimeoutMs: 10_000, connectionLimit: 1, ignoreAuth: false, ...options };
    http.on('request', (req, res) => this.serveRest(req, res));
    wss.on('connection', (socket, req) => this.accept(socket, req));
  }

  static async start(options: FakeAlpacaOptions): Promise<FakeAlpacaServer> {
    const http = createServer();
    const wss = new WebSocketServer({ server: http });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    return new FakeAlpacaServer(http, wss, options);
  }

  get dataUrl(): string {
    return `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  /** The stream base: the client appends the feed (/iex). */
  get streamUrl(): string {
    return `ws://127.0.0.1:${(this.http.address() as AddressInfo).port}/v2`;
  }

  /** Connections the server still holds open. */
  get open(): FakeStreamConnection[] {
    return this.connections.filter((c) => c.socket.readyState === WebSocket.OPEN);
  }

  /** Open connections subscribed to trades of `symbol`. */
  subscribers(symbol: string): FakeStreamConnection[] {
    return this.open.filter((c) => c.authenticated && c.trades.has(symbol));
  }

  /** The next REST requests get these responses, in order, instead of data. */
  forceNext(...responses: ForcedResponse[]): void {
    this.forced.push(...responses);
  }

  /** Starts a new rate window: the whole budget is available again. */
  resetRateWindow(resetAtSec = Math.ceil(Date.now() / 1000) + 60): void {
    this.usedInWindow = 0;
    this.rateResetAtSec = resetAtSec;
  }

  /** Adds trades to the tape without sending them (history only). */
  record(...trades: FakeAlpacaTrade[]): void {
    this.tape.push(...trades);
  }

  /** Records trades on the tape and sends them, in one frame, to every connection subscribed to them. */
  trade(...trades: FakeAlpacaTrade[]): void {
    this.record(...trades);
    for (const c of this.open) {
      const mine = trades.filter((t) => c.authenticated && c.trades.has(t.symbol));
      if (mine.length > 0) c.socket.send(JSON.stringify(mine.map(tradeMessage)));
    }
  }

  quote(symbol: string, bid: number, ask: number, time: string): void {
    const message = { T: 'q', S: symbol, bx: 'V', bp: bid, bs: 1, ax: 'V', ap: ask, as: 2, t: time, c: ['R'], z: 'C' };
    for (const c of this.open) if (c.authenticated && c.quotes.has(symbol)) c.socket.send(JSON.stringify([message]));
  }

  sendRaw(data: string | Buffer, to: readonly FakeStreamConnection[] = this.open, binary = false): void {
    for (const c of to) c.socket.send(data, { binary });
  }

  /** Drops every socket without a close frame, like a network failure. */
  terminateAll(): void {
    for (const c of this.open) c.socket.terminate();
  }

  /** Bars as GET /v2/stocks/{symbol}/bars serves them (unpaged), for comparisons. */
  history(symbol: string, timeframe: string): TapeBar[] {
    return aggregateTape(
      this.tape.filter((t) => t.symbol === symbol && Date.parse(t.time) < this.publishedUntil),
      timeframe,
    );
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private accept(socket: WebSocket, req: IncomingMessage): void {
    const feed = /^\/v2\/([a-z_]+)$/.exec(new URL(req.url ?? '/', 'http://x').pathname)?.[1];
    if (!feed || !FEEDS.has(feed)) {
      socket.close(1008, 'unknown feed');
      return;
    }
    const c: FakeStreamConnection = {
      socket,
      feed,
      received: [],
      authenticated: false,
      trades: new Set(),
      quotes: new Set(),
      closeCode: undefined,
    };
    this.connections.push(c);
    const authTimer = setTimeout(() => this.fail(c, 404, 'auth timeout'), this.options.authTimeoutMs);
    socket.on('close', (code) => {
      c.closeCode = code;
      clearTimeout(authTimer);
    });
    socket.on('message', (data, isBinary) => {
      const text = isBinary ? '' : Buffer.from(data as Buffer).toString('utf8');
      c.received.push(text);
      this.handle(c, text, () => clearTimeout(authTimer));
    });
    send(c, [{ T: 'success', msg: 'connected' }]);
  }

  private handle(c: FakeStreamConnection, text: string, authenticated: () => void): void {
    let message: { action?: unknown; key?: unknown; secret?: unknown; trades?: unknown; quotes?: unknown };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return send(c, [{ T: 'error', code: 400, msg: 'invalid syntax' }]);
    }
    if (message.action === 'auth') {
      if (this.options.ignoreAuth) return;
      if (c.authenticated) return send(c, [{ T: 'error', code: 403, msg: 'already authenticated' }]);
      if (message.key !== this.options.keyId || message.secret !== this.options.secretKey) return this.fail(c, 402, 'auth failed');
      const others = this.open.filter((o) => o !== c && o.authenticated && o.feed === c.feed).length;
      if (others >= this.options.connectionLimit) return this.fail(c, 406, 'connection limit exceeded');
      c.authenticated = true;
      authenticated();
      return send(c, [{ T: 'success', msg: 'authenticated' }]);
    }
    if (message.action === 'subscribe') {
      if (!c.authenticated) return send(c, [{ T: 'error', code: 401, msg: 'not authenticated' }]);
      for (const s of symbolList(message.trades)) c.trades.add(s);
      for (const s of symbolList(message.quotes)) c.quotes.add(s);
      return send(c, [
        {
          T: 'subscription',
          trades: [...c.trades],
          quotes: [...c.quotes],
          bars: [],
          updatedBars: [],
          dailyBars: [],
          statuses: [],
          lulds: [],
          corrections: [...c.trades],
          cancelErrors: [...c.trades],
        },
      ]);
    }
    send(c, [{ T: 'error', code: 400, msg: 'invalid syntax' }]);
  }

  /** Sends a documented error and closes, as Alpaca does after auth errors and connection limits. */
  private fail(c: FakeStreamConnection, code: number, msg: string): void {
    send(c, [{ T: 'error', code, msg }]);
    c.socket.close(1008, msg);
  }

  private serveRest(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const symbol = decodeURIComponent(/^\/v2\/stocks\/([^/]+)\/bars$/.exec(url.pathname)?.[1] ?? '');
    const query = Object.fromEntries(url.searchParams);
    const respond = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      if (symbol) this.barRequests.push({ symbol, query, status });
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' || !symbol) return respond(404, { message: 'Not Found' });
    if (req.headers['apca-api-key-id'] !== this.options.keyId || req.headers['apca-api-secret-key'] !== this.options.secretKey) {
      return respond(403, { message: 'forbidden' });
    }
    if (Date.now() >= this.rateResetAtSec * 1000) this.resetRateWindow();
    this.usedInWindow++;
    const remaining = Math.max(0, this.rateLimit - this.usedInWindow);
    const rate = {
      'x-ratelimit-limit': String(this.rateLimit),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': String(this.rateResetAtSec),
    };
    if (this.usedInWindow > this.rateLimit) return respond(429, { message: 'too many requests.' }, rate);
    const forced = this.forced.shift();
    if (forced) {
      const headers: Record<string, string> = {};
      if (forced.retryAfterSec !== undefined) headers['retry-after'] = String(forced.retryAfterSec);
      if (forced.resetAtSec !== undefined)
        Object.assign(headers, {
          'x-ratelimit-limit': '200',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(forced.resetAtSec),
        });
      return respond(forced.status, forced.body ?? { message: 'too many requests.' }, headers);
    }
    const timeframe = query.timeframe ?? '';
    if (!/^(\d+)(Min|T|Hour|H|Day|D|Week|W|Month|M)$/.test(timeframe)) return respond(400, { message: 'invalid timeframe' });
    if (query.feed !== undefined && !REST_FEEDS.has(query.feed)) return respond(400, { message: 'invalid feed' });
    if (query.adjustment !== undefined && !ADJUSTMENTS.has(query.adjustment)) return respond(400, { message: 'invalid adjustment' });
    const limit = query.limit === undefined ? DEFAULT_LIMIT : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
      return respond(400, { message: 'invalid limit: must be between 1 and 10000' });
    const start = query.start === undefined ? -Infinity : Date.parse(query.start);
    const end = query.end === undefined ? Infinity : Date.parse(query.end);
    if (Number.isNaN(start) || Number.isNaN(end)) return respond(400, { message: 'invalid start or end' });
    if (start > end) return respond(400, { message: 'end should not be before start' });
    // start and end are both inclusive.
    const all = this.history(symbol, timeframe).filter((b) => Date.parse(b.t) >= start && Date.parse(b.t) <= end);
    const offset = query.page_token === undefined ? 0 : Number(Buffer.from(query.page_token, 'base64').toString('utf8'));
    if (!Number.isInteger(offset) || offset < 0) return respond(400, { message: 'invalid page token' });
    const page = all.slice(offset, offset + limit);
    const next = offset + limit < all.length ? Buffer.from(String(offset + limit)).toString('base64') : null;
    respond(200, { bars: page.length > 0 ? page : null, symbol, next_page_token: next }, rate);
  }
}

function send(c: FakeStreamConnection, messages: unknown[]): void {
  if (c.socket.readyState === WebSocket.OPEN) c.socket.send(JSON.stringify(messages));
}

function symbolList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string') : [];
}

function tradeMessage(t: FakeAlpacaTrade): object {
  return { T: 't', S: t.symbol, i: t.id, x: 'V', p: t.price, s: t.size, c: ['@'], z: 'C', t: t.time };
}

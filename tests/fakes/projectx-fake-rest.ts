// Fake ProjectX Gateway REST endpoints (auth, contracts, history) with switches for the failures a client must survive.
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface FakeBar {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}
export interface FakeContract {
  id: string;
  name: string;
  description: string;
  tickSize: number;
  tickValue: number;
  activeContract: boolean;
  symbolId: string;
}
export interface RecordedCall {
  path: string;
  at: number;
  token: string | undefined;
  status: number;
  body: Record<string, unknown>;
}

export interface FakeRestOptions {
  username: string;
  apiKey: string;
  contracts?: FakeContract[];
  bars?: FakeBar[];
  /** How long an issued token is accepted (the real Gateway: 24 h). */
  tokenTtlMs?: number;
}

type Forced =
  | { kind: 'status'; path: string; status: number; retryAfter?: string; remaining: number }
  | { kind: 'envelope'; path: string; errorCode: number; errorMessage: string; remaining: number };

const MAX_BARS = 20_000;
const OK = { success: true, errorCode: 0, errorMessage: null };

export class FakeProjectXRest {
  readonly calls: RecordedCall[] = [];
  bars: FakeBar[];
  contracts: FakeContract[];
  tokenTtlMs: number;
  private readonly tokens = new Map<string, number>();
  private readonly forced: Forced[] = [];
  private issued = 0;

  constructor(private readonly options: FakeRestOptions) {
    this.bars = options.bars ?? [];
    this.contracts = options.contracts ?? [];
    this.tokenTtlMs = options.tokenTtlMs ?? 86_400_000;
  }

  isValidToken(token: string | undefined | null): boolean {
    const expiresAt = token ? this.tokens.get(token) : undefined;
    return expiresAt !== undefined && Date.now() < expiresAt;
  }

  /** Every token issued so far stops working (as if expired or revoked). */
  revokeAllTokens(): void {
    this.tokens.clear();
  }

  /** The next `times` calls of `path` answer HTTP `status` (429, 503, 401…), optionally with Retry-After. */
  failNext(path: string, status: number, opts: { times?: number; retryAfter?: string } = {}): void {
    this.forced.push({ kind: 'status', path, status, retryAfter: opts.retryAfter, remaining: opts.times ?? 1 });
  }

  /** The next `times` calls of `path` answer HTTP 200 with `success: false`. */
  envelopeErrorNext(path: string, errorCode: number, errorMessage: string, times = 1): void {
    this.forced.push({ kind: 'envelope', path, errorCode, errorMessage, remaining: times });
  }

  /** Forgets forced failures not yet served. */
  clearFailures(): void {
    this.forced.length = 0;
  }

  callsTo(path: string): RecordedCall[] {
    return this.calls.filter((c) => c.path === path);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    let body: Record<string, unknown> = {};
    try {
      const text = await readBody(req);
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      return this.reply(res, { path, token, body, at }, 400, { title: 'invalid JSON' });
    }
    const call = { path, token, body, at };
    if (req.method !== 'POST') return this.reply(res, call, 405, {});
    const forced = this.takeForced(path);
    if (forced?.kind === 'status') {
      return this.reply(res, call, forced.status, {}, forced.retryAfter === undefined ? {} : { 'retry-after': forced.retryAfter });
    }
    if (path === '/api/Auth/loginKey') return this.login(res, call);
    if (!this.isValidToken(token)) return this.reply(res, call, 401, {});
    if (forced?.kind === 'envelope') {
      return this.reply(res, call, 200, { success: false, errorCode: forced.errorCode, errorMessage: forced.errorMessage });
    }
    switch (path) {
      case '/api/Auth/validate':
        return this.reply(res, call, 200, { ...OK, newToken: this.issueToken() });
      case '/api/Contract/search': {
        const text = (typeof body.searchText === 'string' ? body.searchText : '').toUpperCase();
        return this.reply(res, call, 200, { ...OK, contracts: this.contracts.filter((c) => c.name.toUpperCase().includes(text)) });
      }
      case '/api/Contract/searchById': {
        const contract = this.contracts.find((c) => c.id === body.contractId);
        return this.reply(
          res,
          call,
          200,
          contract ? { ...OK, contract } : { success: false, errorCode: 8, errorMessage: 'Contract not found' },
        );
      }
      case '/api/History/retrieveBars':
        return this.retrieveBars(res, call);
      default:
        return this.reply(res, call, 404, {});
    }
  }

  private login(res: ServerResponse, call: Omit<RecordedCall, 'status'>): void {
    const { userName, apiKey } = call.body;
    if (userName !== this.options.username || apiKey !== this.options.apiKey) {
      return this.reply(res, call, 200, { token: null, success: false, errorCode: 3, errorMessage: 'Invalid credentials.' });
    }
    this.reply(res, call, 200, { ...OK, token: this.issueToken() });
  }

  /** Like the Gateway: the newest `limit` bars with startTime <= t <= endTime, newest first. */
  private retrieveBars(res: ServerResponse, call: Omit<RecordedCall, 'status'>): void {
    const b = call.body;
    const start = typeof b.startTime === 'string' ? Date.parse(b.startTime) : NaN;
    const end = typeof b.endTime === 'string' ? Date.parse(b.endTime) : NaN;
    const valid =
      typeof b.contractId === 'string' &&
      typeof b.live === 'boolean' &&
      Number.isFinite(start) &&
      Number.isFinite(end) &&
      Number.isInteger(b.unit) &&
      (b.unit as number) >= 1 &&
      (b.unit as number) <= 6 &&
      Number.isInteger(b.unitNumber) &&
      Number.isInteger(b.limit) &&
      (b.limit as number) >= 1 &&
      (b.limit as number) <= MAX_BARS &&
      typeof b.includePartialBar === 'boolean';
    if (!valid) return this.reply(res, call, 400, { title: 'One or more validation errors occurred.' });
    const bars = this.bars
      .filter((bar) => bar.time >= start && bar.time <= end)
      .sort((x, y) => y.time - x.time)
      .slice(0, b.limit as number)
      .map((bar) => ({
        t: new Date(bar.time).toISOString().replace(/\.000Z$|Z$/, '+00:00'),
        o: bar.open,
        h: bar.high,
        l: bar.low,
        c: bar.close,
        v: bar.volume,
      }));
    this.reply(res, call, 200, { ...OK, bars });
  }

  private issueToken(): string {
    const token = `fake-token-${++this.issued}`;
    this.tokens.set(token, Date.now() + this.tokenTtlMs);
    return token;
  }

  private takeForced(path: string): Forced | undefined {
    const forced = this.forced.find((f) => f.path === path && f.remaining > 0);
    if (forced) forced.remaining--;
    return forced;
  }

  private reply(
    res: ServerResponse,
    call: Omit<RecordedCall, 'status'>,
    status: number,
    payload: unknown,
    headers: Record<string, string> = {},
  ): void {
    this.calls.push({ ...call, status });
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(payload));
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

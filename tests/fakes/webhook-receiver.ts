// A local webhook receiver speaking real HTTP: verifies each request's HMAC signature, records the
// idempotency keys it accepted (a repeated key is answered 200 and not accepted again, as a receiver
// that deduplicates does), and can fail a share of requests, hang, or answer garbage.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom } from '../../ingester/src/providers/seeded-random.ts';

export type ReceiverMode =
  | { readonly kind: 'ok' }
  /** Answers `status` (default 503) to this share of requests, decided by a seeded draw. */
  | { readonly kind: 'flaky'; readonly failShare: number; readonly status?: number; readonly retryAfterSeconds?: number }
  /** Never answers (until the client gives up). */
  | { readonly kind: 'hang' }
  /** Answers bytes that are not HTTP at all, then closes the connection. */
  | { readonly kind: 'garbage' }
  /** Answers `status` to every request. */
  | { readonly kind: 'status'; readonly status: number };

export interface ReceivedRequest {
  readonly path: string;
  readonly key: string;
  readonly body: unknown;
  readonly signatureOk: boolean;
  /** The status answered; 'none' when it hung or answered garbage. */
  readonly answered: number | 'none';
  /** performance.timeOrigin + performance.now() when the body was read (epoch ms, sub-ms). */
  readonly receivedAt: number;
}

export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  /** Keys accepted (answered 2xx the first time), in order. */
  readonly accepted: string[] = [];
  /** Keys a 2xx was answered to more than once (what a receiver without dedupe would have doubled). */
  readonly repeats: string[] = [];
  private readonly seen = new Set<string>();
  private readonly hanging = new Set<ServerResponse>();
  private server: Server | undefined;
  private random: () => number;
  /** Per path (e.g. /a, /b): each destination its own behaviour on one server. */
  private readonly modes = new Map<string, ReceiverMode>();

  constructor(
    private readonly secret: string,
    seed = 7,
  ) {
    this.random = seededRandom(seed);
  }

  setMode(path: string, mode: ReceiverMode): void {
    this.modes.set(path, mode);
  }

  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  acceptedOn(path: string): string[] {
    return this.requests.filter((r) => r.path === path && typeof r.answered === 'number' && r.answered < 300).map((r) => r.key);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const receivedAt = performance.timeOrigin + performance.now();
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const key = String(req.headers['idempotency-key'] ?? '');
    const timestamp = String(req.headers['x-barstream-timestamp'] ?? '');
    const signature = String(req.headers['x-barstream-signature'] ?? '');
    const expected = `sha256=${createHmac('sha256', this.secret).update(`${timestamp}.${raw}`).digest('hex')}`;
    const signatureOk = signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      body = raw;
    }
    const mode = this.modes.get(path) ?? { kind: 'ok' };
    const record = (answered: number | 'none'): void => {
      this.requests.push({ path, key, body, signatureOk, answered, receivedAt });
    };
    if (!signatureOk || key === '') {
      record(401);
      res.writeHead(401).end('bad signature');
      return;
    }
    if (mode.kind === 'hang') {
      record('none');
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      return;
    }
    if (mode.kind === 'garbage') {
      record('none');
      req.socket.end('\u0000\u00ffNOT HTTP {{{\r\n\r\n');
      return;
    }
    if (mode.kind === 'status') {
      record(mode.status);
      res.writeHead(mode.status).end();
      return;
    }
    if (mode.kind === 'flaky' && this.random() < mode.failShare) {
      const status = mode.status ?? 503;
      record(status);
      res.writeHead(status, mode.retryAfterSeconds === undefined ? {} : { 'retry-after': String(mode.retryAfterSeconds) }).end();
      return;
    }
    record(200);
    if (this.seen.has(key)) this.repeats.push(key);
    else {
      this.seen.add(key);
      this.accepted.push(key);
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  }
}

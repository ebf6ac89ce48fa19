// Who may open a WebSocket: the shared token (query or Authorization header) and the Origin
// allowlist, checked on the HTTP upgrade so a refused client gets a plain 401/403 and no socket.
import { createHash, timingSafeEqual } from 'node:crypto';
import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

export type RefusalReason = 'token' | 'origin' | 'capacity';

export interface UpgradeRefusal {
  readonly status: 401 | 403 | 503;
  readonly reason: RefusalReason;
  readonly message: string;
}

export interface UpgradeGateOptions {
  readonly token?: string;
  /** Empty: any origin. Requests without an Origin header (non-browser clients) are not refused. */
  readonly allowedOrigins: readonly string[];
}

export class UpgradeGate {
  private readonly tokenDigest: Buffer | undefined;
  private readonly origins: ReadonlySet<string>;

  constructor(options: UpgradeGateOptions) {
    this.tokenDigest = options.token === undefined ? undefined : digest(options.token);
    this.origins = new Set(options.allowedOrigins);
  }

  check(req: IncomingMessage): UpgradeRefusal | undefined {
    if (this.tokenDigest) {
      const given =
        new URL(req.url ?? '/', 'http://localhost').searchParams.get('token') ??
        /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      // Digests have one length, so the comparison takes the same time whatever was sent.
      if (given === undefined || !timingSafeEqual(digest(given), this.tokenDigest)) {
        return { status: 401, reason: 'token', message: 'missing or wrong token: pass ?token= or Authorization: Bearer' };
      }
    }
    const origin = req.headers.origin;
    if (this.origins.size > 0 && origin !== undefined && !this.origins.has(origin)) {
      return { status: 403, reason: 'origin', message: `origin ${origin.slice(0, 200)} is not allowed` };
    }
    return undefined;
  }
}

/** Answers an upgrade request with a plain HTTP error and closes the socket. */
export function refuseUpgrade(socket: Duplex, refusal: Pick<UpgradeRefusal, 'status' | 'message'>): void {
  const body = `${refusal.message}\n`;
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? ''}\r\nConnection: close\r\n` +
      `Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

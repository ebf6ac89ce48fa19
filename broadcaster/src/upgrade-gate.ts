// Who may open a WebSocket: a ticket the web server signed (?ticket=, short-lived; auth.mode all),
// or the shared token (query or Authorization header), and the Origin allowlist, checked on the HTTP
// upgrade so a refused client gets a plain 401/403 and no socket.
import { createHash, timingSafeEqual } from 'node:crypto';
import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { verifyToken } from '@barstream/core/node';

export type RefusalReason = 'token' | 'origin' | 'capacity';

export interface UpgradeRefusal {
  readonly status: 401 | 403 | 503;
  readonly reason: RefusalReason;
  readonly message: string;
}

export interface UpgradeGateOptions {
  readonly token?: string;
  /** Tickets: verified with this secret (auth.secret), required when `requireTicket`; with a token,
   * either a valid ticket or the token admits. */
  readonly tickets?: { readonly secret: string; readonly required: boolean; readonly now?: () => number };
  /** Empty: any origin. Requests without an Origin header (non-browser clients) are not refused. */
  readonly allowedOrigins: readonly string[];
}

export class UpgradeGate {
  private readonly tokenDigest: Buffer | undefined;
  private readonly origins: ReadonlySet<string>;

  constructor(private readonly options: UpgradeGateOptions) {
    this.tokenDigest = options.token === undefined ? undefined : digest(options.token);
    this.origins = new Set(options.allowedOrigins);
  }

  check(req: IncomingMessage): UpgradeRefusal | undefined {
    const tickets = this.options.tickets;
    if (this.tokenDigest || tickets?.required) {
      const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
      const ticket = query.get('ticket');
      const ticketValid =
        ticket !== null &&
        tickets !== undefined &&
        verifyToken(tickets.secret, 'ws-ticket', ticket, (tickets.now ?? Date.now)()) !== undefined;
      if (!ticketValid && !this.tokenMatches(query.get('token') ?? /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1])) {
        const message =
          ticket !== null
            ? 'expired or invalid ticket: get a fresh one from the web server (/session/ws-ticket)'
            : this.tokenDigest
              ? 'missing or wrong token: pass ?ticket= from the web server, ?token= or Authorization: Bearer'
              : 'missing ticket: pass ?ticket= from the web server (/session/ws-ticket)';
        return { status: 401, reason: 'token', message };
      }
    }
    const origin = req.headers.origin;
    if (this.origins.size > 0 && origin !== undefined && !this.origins.has(origin)) {
      return { status: 403, reason: 'origin', message: `origin ${origin.slice(0, 200)} is not allowed` };
    }
    return undefined;
  }

  private tokenMatches(given: string | undefined): boolean {
    // Digests have one length, so the comparison takes the same time whatever was sent.
    return this.tokenDigest !== undefined && given !== undefined && timingSafeEqual(digest(given), this.tokenDigest);
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

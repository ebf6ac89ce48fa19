// Gzips /api/* answers at zlib's fastest level, in front of Next.js. `next start` compresses every
// answer at zlib's default level, about 16 ms of CPU for a 10,000-bar /api/ohlc answer (1.27 MB),
// twice the rest of the request; and a route cannot choose otherwise, since Next.js drops a route's
// own Content-Encoding header (next/dist/server/send-response.js). So for /api/* the request's
// Accept-Encoding is hidden from Next.js's compression, and `compression` (the middleware Next.js
// vendors) at level 1 encodes the answer for a client that takes gzip: about a fifth more bytes for
// a fraction of the CPU. Pages and scripts keep Next.js's compression. Installed like the TRACE
// guard (trace-guard.ts), on Node's HTTP server.
import { type IncomingMessage, Server, type ServerResponse } from 'node:http';
import { constants } from 'node:zlib';
import compression from 'compression';

/** zlib's output buffer: 64 KiB rather than its 16 so a large answer (12.7 MB of JSON for 100,000
 * bars, 1.5 MB gzipped) crosses from libuv's thread back to JavaScript a quarter as often. */
const GZIP_CHUNK_BYTES = 64 * 1024;

const gzipFast = compression({ level: constants.Z_BEST_SPEED, chunkSize: GZIP_CHUNK_BYTES });

const holder = globalThis as typeof globalThis & { __barstreamApiGzip?: true };

/** Whether the client takes gzip: named in Accept-Encoding (or `*`) without q=0. */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (!acceptEncoding) return false;
  return acceptEncoding.split(',').some((part) => {
    const [coding = '', ...params] = part.toLowerCase().split(';');
    if (coding.trim() !== 'gzip' && coding.trim() !== '*') return false;
    return !params.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(p));
  });
}

function isApi(req: IncomingMessage): boolean {
  const path = req.url ?? '';
  return path === '/api' || path.startsWith('/api/') || path.startsWith('/api?');
}

/** Takes over compression of one /api/* answer: gzip level 1 when the client takes gzip, none otherwise. */
export function compressApiAnswer(req: IncomingMessage, res: ServerResponse): void {
  const accepted = req.headers['accept-encoding'];
  // Next.js's compression reads this when the answer's headers go out: it finds nothing to use.
  req.headers['accept-encoding'] = 'identity';
  if (!acceptsGzip(accepted)) return;
  // compression negotiates br as well (at a quality far slower than gzip): offer it gzip alone.
  const asked = Object.create(req, { headers: { value: { ...req.headers, 'accept-encoding': 'gzip' } } }) as IncomingMessage;
  gzipFast(asked, res, () => undefined);
}

export function installApiGzip(): void {
  if (holder.__barstreamApiGzip) return;
  holder.__barstreamApiGzip = true;
  type Emit = (this: Server, event: string | symbol, ...args: unknown[]) => boolean;
  // The original, called below with each server as `this` (emit.call), so taking it unbound is the point.
  // eslint-disable-next-line @typescript-eslint/unbound-method -- see above
  const emit = Server.prototype.emit as Emit;
  Server.prototype.emit = function apiGzipEmit(this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'request') {
      const [req, res] = args as [IncomingMessage, ServerResponse];
      if (isApi(req)) compressApiAnswer(req, res);
    }
    return emit.call(this, event, ...args);
  } as typeof Server.prototype.emit;
}

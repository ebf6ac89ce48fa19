// The page's scripts and stylesheets answered from memory, gzipped ahead of time, before Next.js sees
// the request. A cold /trends asks for ~15 scripts at once, beside the page's /api/ohlc; Next.js served
// each through its router and gzipped it on the fly, so on the one event loop they waited behind the
// bars' answer and one another (web12: the chart boot script's request reached the server at 213 ms and
// its headers left at 494 ms). Here a request for a file placed with its gzipped copy
// (web/precompress.ts, done by web/standalone-server.ts) is one synchronous write. Anything else — no
// copy (next start, next dev, fonts), a Range, a method other than GET or HEAD, an unexpected path — goes
// on to Next.js as before. Installed like the /api/* gzip (api-gzip.ts), on Node's HTTP server.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { type IncomingMessage, Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { GZIP_SUFFIX } from '../../precompress.ts';
import { acceptsGzip } from './api-gzip.ts';

/** Next.js's own header for its content-hashed build files. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** public/ files keep their name across builds: revalidated each time (ETag), as Next.js serves them. */
const REVALIDATE = 'public, max-age=0';

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'application/javascript; charset=UTF-8',
  '.css': 'text/css; charset=UTF-8',
};

/** Build files (`/_next/static/…`, no dot-segments) and the chart boot script (web/public/chart-boot.js). */
const STATIC_PATH = /^\/_next\/static\/(?:[\w~-][\w.~-]*\/)*[\w~-][\w.~-]*\.(?:js|css)$/;
const PUBLIC_FILES = new Set(['/chart-boot.js']);

interface StaticFile {
  readonly plain: Buffer;
  readonly gzipped: Buffer;
  readonly type: string;
  readonly cacheControl: string;
  readonly etag: string;
}

export class StaticFiles {
  private readonly files = new Map<string, StaticFile>();

  /** `serverDir`: where the server runs (its `.next/static` and `public/`). */
  constructor(private readonly serverDir: string) {}

  /** Answers `req` if it asks for a file placed with its gzipped copy; false: left to Next.js. */
  answer(req: IncomingMessage, res: ServerResponse): boolean {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.headers.range !== undefined) return false;
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const file = this.file(query === -1 ? url : url.slice(0, query));
    if (!file) return false;
    const gzip = acceptsGzip(req.headers['accept-encoding']);
    const body = gzip ? file.gzipped : file.plain;
    res.setHeader('Cache-Control', file.cacheControl);
    res.setHeader('Content-Type', file.type);
    res.setHeader('ETag', file.etag);
    res.setHeader('Vary', 'Accept-Encoding');
    if (req.headers['if-none-match'] === file.etag) {
      res.statusCode = 304;
      res.end();
      return true;
    }
    if (gzip) res.setHeader('Content-Encoding', 'gzip');
    res.setHeader('Content-Length', body.length);
    res.statusCode = 200;
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  }

  private file(path: string): StaticFile | undefined {
    const known = this.files.get(path);
    if (known) return known;
    let onDisk: string;
    let cacheControl: string;
    if (STATIC_PATH.test(path)) {
      onDisk = join(this.serverDir, '.next', 'static', path.slice('/_next/static/'.length));
      cacheControl = IMMUTABLE;
    } else if (PUBLIC_FILES.has(path)) {
      onDisk = join(this.serverDir, 'public', path.slice(1));
      cacheControl = REVALIDATE;
    } else {
      return undefined;
    }
    // Only files whose gzipped copy was placed beside them; a missing one is Next.js's 404. The paths are the
    // server's static files, placed beside it at start (placeStandaloneStaticFiles), not code to trace: without
    // turbopackIgnore the build warns "Dynamic filesystem access causes tracing of the whole project" and copies
    // the web app's sources into the standalone output.
    if (!existsSync(/*turbopackIgnore: true*/ onDisk + GZIP_SUFFIX) || !existsSync(/*turbopackIgnore: true*/ onDisk)) return undefined;
    const plain = readFileSync(/*turbopackIgnore: true*/ onDisk);
    const file: StaticFile = {
      plain,
      gzipped: readFileSync(/*turbopackIgnore: true*/ onDisk + GZIP_SUFFIX),
      type: CONTENT_TYPES[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream',
      cacheControl,
      etag: `"${createHash('sha1').update(plain).digest('base64url')}"`,
    };
    this.files.set(path, file);
    return file;
  }
}

const holder = globalThis as typeof globalThis & { __barstreamStaticFiles?: true };

/** In the server's process (its working directory is the server's: server.js changes to its own). */
export function installStaticFiles(serverDir = process.cwd()): void {
  if (holder.__barstreamStaticFiles) return;
  holder.__barstreamStaticFiles = true;
  const files = new StaticFiles(serverDir);
  type Emit = (this: Server, event: string | symbol, ...args: unknown[]) => boolean;
  // The original, called below with each server as `this` (emit.call), so taking it unbound is the point.
  // eslint-disable-next-line @typescript-eslint/unbound-method -- see above
  const emit = Server.prototype.emit as Emit;
  Server.prototype.emit = function staticFilesEmit(this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'request') {
      const [req, res] = args as [IncomingMessage, ServerResponse];
      if (files.answer(req, res)) return true;
    }
    return emit.call(this, event, ...args);
  } as typeof Server.prototype.emit;
}

// Large JSON answers gzipped at zlib's fastest level, here rather than by `next start`'s compression
// (which answers gzip at zlib's default level 6: about 20 ms of CPU for a 10,000-bar answer of 1.3 MB,
// more than the rest of the request). Level 1 costs a fraction of that for an answer about a fifth
// larger, and runs in libuv's thread pool. `next start` leaves an answer that is already encoded as is.
import 'server-only';
import { pipeline, Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { promisify } from 'node:util';
import { constants, createGzip, gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);
const FAST = { level: constants.Z_BEST_SPEED };
/** Smaller answers are not worth a thread-pool round trip; `next start` compresses them as before. */
export const MIN_GZIP_BYTES = 8_192;

/** Whether the client takes gzip: named in Accept-Encoding (or `*`) without q=0. */
export function acceptsGzip(acceptEncoding: string | null): boolean {
  if (!acceptEncoding) return false;
  return acceptEncoding.split(',').some((part) => {
    const [coding = '', ...params] = part.trim().toLowerCase().split(';');
    if (coding.trim() !== 'gzip' && coding.trim() !== '*') return false;
    return !params.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(p));
  });
}

/** `body` gzipped for a client that takes it (headers to add included), else as it is. */
export async function maybeGzip(
  request: Request | undefined,
  body: string | ReadableStream<Uint8Array>,
): Promise<{ body: BodyInit; headers: Record<string, string> }> {
  const small = typeof body === 'string' && body.length < MIN_GZIP_BYTES;
  if (small || !acceptsGzip(request?.headers.get('accept-encoding') ?? null)) return { body, headers: {} };
  const headers = { 'content-encoding': 'gzip', vary: 'Accept-Encoding' };
  if (typeof body === 'string') return { body: new Uint8Array(await gzipAsync(body, FAST)), headers };
  const zipped = createGzip(FAST);
  // A source that fails (or a client that leaves) ends both: the client sees a cut answer, never a hang.
  pipeline(Readable.fromWeb(body as NodeReadableStream<Uint8Array>), zipped, () => undefined);
  return { body: Readable.toWeb(zipped) as ReadableStream<Uint8Array>, headers };
}

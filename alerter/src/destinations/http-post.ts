// One HTTP(S) POST over kept-alive connections (node:http agents, one per scheme): node:http costs a
// fraction of fetch's CPU per request, which bounds how many deliveries a second one alerter sends.
// Answers the status and headers, and the body only when asked (a webhook's is unneeded, Telegram's
// says whether the message was taken).
//
// A kept-alive socket the receiver closed while it sat idle in the pool fails the next request on it
// with ECONNRESET before the receiver read a byte of it: the agent drops sockets after the receiver's
// Keep-Alive timeout hint, but a process stalled past that hint (a loaded machine) hands the dead socket
// out anyway. Such a request was never received, so it is sent again at once on another socket
// (node's documented remedy: `request.reusedSocket`), instead of failing a delivery attempt.
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface PostAnswer {
  readonly status: number;
  /** A response header's value (first one when repeated), or null. */
  header(name: string): string | null;
  /** The body as UTF-8 text when `readBody` was asked for, else undefined. */
  readonly body: string | undefined;
}

export interface PostOptions {
  /** Wait for the whole body and answer it (at most MAX_BODY_BYTES). */
  readonly readBody?: boolean;
}

/** A body longer than this is an error: the answers read here are a few hundred bytes. */
export const MAX_BODY_BYTES = 1 << 20;
/** Sockets tried in turn when each turns out closed by the receiver: bounded by the pool, not forever. */
const STALE_SOCKET_TRIES = 4;

export class HttpPoster {
  // Idle sockets are unref'd by the agents (they never hold the process open) and dropped after the
  // receiver's Keep-Alive timeout hint.
  private readonly http = new HttpAgent({ keepAlive: true });
  private readonly https = new HttpsAgent({ keepAlive: true });

  /** Rejects on a connection error, an unreadable answer, or when `signal` aborts before the answer. */
  async post(url: URL, headers: Record<string, string>, body: string, signal: AbortSignal, options: PostOptions = {}): Promise<PostAnswer> {
    for (let tries = 1; ; tries++) {
      const outcome = await this.once(url, headers, body, signal, options);
      if (outcome.ok) return outcome.answer;
      if (!outcome.stale || tries >= STALE_SOCKET_TRIES || signal.aborted) throw outcome.error;
    }
  }

  private once(
    url: URL,
    headers: Record<string, string>,
    body: string,
    signal: AbortSignal,
    options: PostOptions,
  ): Promise<{ ok: true; answer: PostAnswer } | { ok: false; error: Error; stale: boolean }> {
    const secure = url.protocol === 'https:';
    const request = secure ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      let answered = false;
      const fail = (error: Error, req: ClientRequest): void =>
        resolve({ ok: false, error, stale: !answered && req.reusedSocket && isResetBeforeAnswer(error) });
      const req = request(
        url,
        {
          method: 'POST',
          agent: secure ? this.https : this.http,
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          signal,
        },
        (res) => {
          answered = true;
          const answer = (text: string | undefined): void =>
            resolve({
              ok: true,
              answer: { status: res.statusCode ?? 0, header: (name) => first(res.headers[name.toLowerCase()]), body: text },
            });
          if (!options.readBody) {
            // The body is discarded as it comes; a receiver that never ends it is cut off by the signal.
            res.resume();
            res.on('error', () => undefined);
            answer(undefined);
            return;
          }
          const chunks: Buffer[] = [];
          let bytes = 0;
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            if (bytes > MAX_BODY_BYTES) res.destroy(new Error(`answer body longer than ${MAX_BODY_BYTES} bytes`));
            else chunks.push(chunk);
          });
          res.on('error', (error) => fail(error, req));
          res.on('end', () => answer(Buffer.concat(chunks).toString('utf8')));
        },
      );
      req.on('error', (error) => fail(error, req));
      req.end(body);
    });
  }
}

/** The receiver closed the connection before any answer: a reset, or the end of the stream. */
function isResetBeforeAnswer(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ECONNRESET' || code === 'EPIPE';
}

function first(value: IncomingHttpHeaders[string]): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}

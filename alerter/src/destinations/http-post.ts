// One HTTP(S) POST over kept-alive connections (node:http agents, one per scheme): a webhook's body is
// small and its answer's body unneeded, and node:http costs a fraction of fetch's CPU per request, which
// bounds how many deliveries a second one alerter sends. Answers the status and headers, never the body.
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface PostAnswer {
  readonly status: number;
  /** A response header's value (first one when repeated), or null. */
  header(name: string): string | null;
}

export class HttpPoster {
  // Idle sockets are unref'd by the agents (they never hold the process open) and dropped after the
  // receiver's Keep-Alive timeout hint.
  private readonly http = new HttpAgent({ keepAlive: true });
  private readonly https = new HttpsAgent({ keepAlive: true });

  /** Rejects on a connection error, an unreadable answer, or when `signal` aborts before the status line. */
  post(url: URL, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<PostAnswer> {
    const secure = url.protocol === 'https:';
    const request = secure ? httpsRequest : httpRequest;
    return new Promise<PostAnswer>((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'POST',
          agent: secure ? this.https : this.http,
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          signal,
        },
        (res) => {
          // The body is discarded as it comes; a receiver that never ends it is cut off by the signal.
          res.resume();
          res.on('error', () => undefined);
          resolve({ status: res.statusCode ?? 0, header: (name) => first(res.headers[name.toLowerCase()]) });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}

function first(value: IncomingHttpHeaders[string]): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}

// Answers TRACE to /api/* before Next.js sees it. Next builds a WHATWG Request for its proxy and
// route handlers, and undici refuses to construct one for TRACE ("'TRACE' HTTP method is
// unsupported"), so Next answered it with a 500 whatever the app exports. Node's HTTP server is the
// one layer before that: the guard wraps the 'request' event and answers like web/proxy.ts does
// (405 with Allow, or 404 for an unknown path), from the same api-gate.
import { Server, type IncomingMessage, type ServerResponse } from 'node:http';
import { apiGate } from '../api/api-gate.ts';

/** Methods Node's parser accepts as requests but undici's Request refuses (CONNECT never arrives as a request). */
const UNCONSTRUCTIBLE = new Set(['TRACE', 'TRACK']);

const holder = globalThis as typeof globalThis & { __barstreamTraceGuard?: true };

export function installTraceGuard(): void {
  if (holder.__barstreamTraceGuard) return;
  holder.__barstreamTraceGuard = true;
  type Emit = (this: Server, event: string | symbol, ...args: unknown[]) => boolean;
  // The original, called below with each server as `this` (emit.call), so taking it unbound is the point.
  // eslint-disable-next-line @typescript-eslint/unbound-method -- see above
  const emit = Server.prototype.emit as Emit;
  Server.prototype.emit = function guardedEmit(this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'request') {
      const [req, res] = args as [IncomingMessage, ServerResponse];
      const answer = guardAnswer(req);
      if (answer) {
        send(answer, res).catch(() => res.destroy()); // the client went away: nothing left to answer
        return true;
      }
    }
    return emit.call(this, event, ...args);
  } as typeof Server.prototype.emit;
}

function guardAnswer(req: IncomingMessage): Response | undefined {
  if (!UNCONSTRUCTIBLE.has(req.method ?? '')) return undefined;
  const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (pathname !== '/api' && !pathname.startsWith('/api/')) return undefined;
  return apiGate(req.method ?? '', pathname);
}

async function send(answer: Response, res: ServerResponse): Promise<void> {
  const body = await answer.text();
  res.writeHead(answer.status, Object.fromEntries(answer.headers));
  res.end(body);
}

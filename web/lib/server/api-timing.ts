// Times every /api request on Node's HTTP server, from the request event to the answer's last byte
// (web_api_request_duration_seconds): in front of Next.js, so the proxy's 404/405 answers, route
// handlers, streamed answers and compression (api-gzip.ts) all count. Installed like the TRACE guard.
import { type IncomingMessage, Server, type ServerResponse } from 'node:http';
import { apiRouteLabel } from '../api/api-route-label.ts';
import { webMetrics } from './web-metrics.ts';

const holder = globalThis as typeof globalThis & { __barstreamApiTiming?: true };

function apiPathname(req: IncomingMessage): string | undefined {
  const path = (req.url ?? '').split('?')[0] ?? '';
  return path === '/api' || path.startsWith('/api/') ? path : undefined;
}

export function timeApiRequest(req: IncomingMessage, res: ServerResponse): void {
  const pathname = apiPathname(req);
  if (pathname === undefined) return;
  const started = performance.now();
  const route = apiRouteLabel(pathname);
  const method = req.method ?? 'GET';
  res.once('finish', () => {
    webMetrics().apiLatency.observe({ route, method, status: String(res.statusCode) }, (performance.now() - started) / 1000);
  });
}

export function installApiTiming(): void {
  if (holder.__barstreamApiTiming) return;
  holder.__barstreamApiTiming = true;
  type Emit = (this: Server, event: string | symbol, ...args: unknown[]) => boolean;
  // The original, called below with each server as `this` (emit.call), so taking it unbound is the point.
  // eslint-disable-next-line @typescript-eslint/unbound-method -- see above
  const emit = Server.prototype.emit as Emit;
  Server.prototype.emit = function apiTimingEmit(this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'request') timeApiRequest(...(args as [IncomingMessage, ServerResponse]));
    return emit.call(this, event, ...args);
  } as typeof Server.prototype.emit;
}

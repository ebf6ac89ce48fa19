// A TCP port that was free a moment ago on 127.0.0.1 (for servers a test or benchmark starts).
// Chosen below the kernel's ephemeral range: a port from that range (what listen(0) hands out) can
// be taken, before our server binds it, by the local end of any outbound connection — and starting
// the stack opens many (every PostgreSQL client). Seen as EADDRINUSE for the web server in CI.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const LOWEST = 20_000;

function ephemeralStart(): number {
  try {
    const first = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(first) && first > LOWEST + 1_000 ? first : 32_768;
  } catch {
    return 32_768; // Linux's default; other systems: still a range outbound sockets rarely use
  }
}

const HIGHEST = ephemeralStart();

/** Ports this process handed out: the probe closes its socket, so without this two calls in a row can
 * return the same port (CI once started the stack with the alerter's and broadcaster's metrics on one). */
const handedOut = new Set<number>();

function tryListen(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : undefined));
    });
  });
}

export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const candidate = LOWEST + Math.floor(Math.random() * (HIGHEST - LOWEST));
    if (handedOut.has(candidate)) continue;
    const port = await tryListen(candidate);
    if (port !== undefined) return handOut(port);
  }
  const any = await tryListen(0);
  if (any === undefined || handedOut.has(any)) throw new Error('no free TCP port on 127.0.0.1');
  return handOut(any);
}

function handOut(port: number): number {
  handedOut.add(port);
  return port;
}

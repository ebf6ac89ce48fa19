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
    const port = await tryListen(LOWEST + Math.floor(Math.random() * (HIGHEST - LOWEST)));
    if (port !== undefined) return port;
  }
  const any = await tryListen(0);
  if (any === undefined) throw new Error('no free TCP port on 127.0.0.1');
  return any;
}

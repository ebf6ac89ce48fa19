// A TCP relay in front of a real server that a test can shut: while shut, every connection through it
// is cut and new ones are refused, so one client (e.g. one pool) sees the server go away and come
// back, as in a PostgreSQL restart, while other clients keep talking to it directly.
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export class TcpGate {
  private shut = false;
  private readonly sockets = new Set<Socket>();

  private readonly server: Server;
  private constructor(private readonly target: { host: string; port: number }) {
    this.server = createServer((inbound) => this.relay(inbound));
  }

  /** Relays 127.0.0.1:<port> to `target` (host, port). */
  static async start(target: { host: string; port: number }): Promise<TcpGate> {
    const gate = new TcpGate(target);
    await new Promise<void>((resolve) => gate.server.listen(0, '127.0.0.1', resolve));
    return gate;
  }

  get port(): number {
    const address = this.server.address();
    if (typeof address !== 'object' || !address) throw new Error('tcp gate: not listening');
    return address.port;
  }

  /** `url` with its host and port replaced by the gate's. */
  urlFor(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  /** Cuts every relayed connection and refuses new ones until open(). */
  close(): void {
    this.shut = true;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  open(): void {
    this.shut = false;
  }

  async stop(): Promise<void> {
    this.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private relay(inbound: Socket): void {
    if (this.shut) {
      inbound.destroy();
      return;
    }
    const outbound = createConnection(this.target);
    for (const [a, b] of [
      [inbound, outbound],
      [outbound, inbound],
    ] as const) {
      this.sockets.add(a);
      a.on('error', () => b.destroy());
      a.on('close', () => {
        this.sockets.delete(a);
        b.destroy();
      });
      a.pipe(b);
    }
  }
}

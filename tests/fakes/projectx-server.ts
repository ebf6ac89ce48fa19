// A local fake of the ProjectX Gateway: REST endpoints and the market hub (SignalR over WebSocket) on one port.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeProjectXHub } from './projectx-fake-hub.ts';
import { FakeProjectXRest, type FakeRestOptions } from './projectx-fake-rest.ts';

export type { FakeBar, FakeContract, RecordedCall } from './projectx-fake-rest.ts';

export interface FakeProjectXOptions extends FakeRestOptions {
  /** How often the hub pings each client (SignalR keep-alive). */
  hubPingIntervalMs?: number;
}

export class FakeProjectXServer {
  private constructor(
    private readonly server: Server,
    readonly rest: FakeProjectXRest,
    readonly hub: FakeProjectXHub,
    readonly url: string,
  ) {}

  /** Listens on 127.0.0.1 at a free port. */
  static async start(options: FakeProjectXOptions): Promise<FakeProjectXServer> {
    const rest = new FakeProjectXRest(options);
    const hub = new FakeProjectXHub((token) => rest.isValidToken(token), options.hubPingIntervalMs);
    const server = createServer((req, res) => {
      rest.handle(req, res).catch((error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      });
    });
    server.on('upgrade', (req, socket, head) => hub.handleUpgrade(req, socket, head));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new FakeProjectXServer(server, rest, hub, `http://127.0.0.1:${port}`);
  }

  /** What providers.projectx.market_hub_url would be. */
  get hubUrl(): string {
    return `${this.url}/hubs/market`;
  }

  async close(): Promise<void> {
    await this.hub.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

// The venue's side of a bench:ingest wire run: a WebSocket server (the `ws` library the providers' client
// uses) that takes one connection and sends it the venue's text frames, one WebSocket message per frame,
// holding back while the client is behind (its socket buffer full), then closes it politely.
import { once } from 'node:events';
import WebSocket, { WebSocketServer } from 'ws';

/** Bytes queued on the socket beyond which sending waits for the client to catch up. */
const HIGH_WATER_BYTES = 4 * 1024 * 1024;
/** Frames sent between two looks at the socket's buffer. */
const CHECK_EVERY = 64;
/** The pipeline process connects within seconds; past this it has died, and the generator must not wait on. */
const CONNECT_TIMEOUT_MS = 120_000;

export class WireFrameServer {
  private constructor(
    private readonly server: WebSocketServer,
    private readonly client: Promise<WebSocket>,
  ) {}

  /** Listens on a free loopback port; `port` says which. */
  static async listen(): Promise<WireFrameServer> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(server, 'listening');
    const client = new Promise<WebSocket>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`wire frame server: no client within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
      server.once('connection', (ws) => {
        clearTimeout(timer);
        resolve(ws);
      });
    });
    return new WireFrameServer(server, client);
  }

  get port(): number {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error(`wire frame server: no port (address ${address})`);
    return address.port;
  }

  /** Sends the frames in order once the client is connected. */
  async send(frames: readonly string[]): Promise<void> {
    const ws = await this.client;
    for (let i = 0; i < frames.length; i++) {
      if (ws.readyState !== WebSocket.OPEN) throw new Error('wire frame server: the client went away');
      if (i % CHECK_EVERY === CHECK_EVERY - 1 && ws.bufferedAmount > HIGH_WATER_BYTES) {
        // The callback fires once this frame reached the kernel: the buffer has drained behind it.
        await new Promise<void>((resolve, reject) => ws.send(frames[i] as string, (err) => (err ? reject(err) : resolve())));
      } else ws.send(frames[i] as string);
    }
  }

  /** Closes the connection (code 1000, after every frame sent) and the server. */
  async close(): Promise<void> {
    const ws = await this.client;
    if (ws.readyState === WebSocket.CLOSED) return void (await new Promise((resolve) => this.server.close(resolve)));
    const closed = once(ws, 'close');
    ws.close(1000, 'end of bench');
    await closed;
    await new Promise((resolve) => this.server.close(resolve));
  }
}

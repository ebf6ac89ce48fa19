// The venue's side of a bench:ingest wire run: a WebSocket server (the `ws` library the providers' client
// uses, for the opening handshake and the closing one) that takes one connection and sends it the venue's
// text frames, one WebSocket message per frame. The frames are encoded before the first is sent (RFC 6455
// §5.2, as a server sends them: unmasked, uncompressed) and written to the connection's socket in large
// chunks, holding back while the client is behind: sending is the venue's work, and a frame at a time
// through ws.send cost this process as much CPU as the client's whole parse (2.6–3.0 µs a trade at
// 1 contract, on the same two cores as the pipeline), which a real venue's servers do not take from ours.
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import { framedChunks } from '../lib/framed-chunks.ts';

/** Encoded frames per socket write: large enough that writes are few, small enough to hold back in steps. */
const CHUNK_BYTES = 256 * 1024;
/** The pipeline process connects within seconds; past this it has died, and the generator must not wait on. */
const CONNECT_TIMEOUT_MS = 120_000;
/** RFC 6455 §5.2: FIN set, opcode 1 (text). */
const FIN_TEXT = 0x81;
/** Payload lengths above 125 take 2 more bytes (16 bits), above 65,535 8 more (64 bits). */
const LENGTH_16 = 126;
const LENGTH_64 = 127;

interface Connection {
  readonly ws: WebSocket;
  readonly socket: Duplex;
}

/** The frames as a server writes them to the socket, concatenated into chunks of about CHUNK_BYTES. */
export function encodeTextFrames(frames: readonly string[]): Buffer[] {
  return framedChunks(frames, CHUNK_BYTES, (n) => {
    const header = Buffer.alloc(n < LENGTH_16 ? 2 : n <= 0xffff ? 4 : 10);
    header[0] = FIN_TEXT;
    if (n < LENGTH_16) header[1] = n;
    else if (n <= 0xffff) {
      header[1] = LENGTH_16;
      header.writeUInt16BE(n, 2);
    } else {
      header[1] = LENGTH_64;
      header.writeBigUInt64BE(BigInt(n), 2);
    }
    return header;
  });
}

export class WireFrameServer {
  private constructor(
    private readonly server: ReturnType<typeof createServer>,
    private readonly client: Promise<Connection>,
  ) {}

  /** Listens on a free loopback port; `port` says which. */
  static async listen(): Promise<WireFrameServer> {
    const wss = new WebSocketServer({ noServer: true });
    const server = createServer();
    const client = new Promise<Connection>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`wire frame server: no client within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
      // The upgrade hands over the socket: frames are written to it directly, ws keeps the closing handshake.
      server.once('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) =>
        wss.handleUpgrade(request, socket, head, (ws) => {
          clearTimeout(timer);
          resolve({ ws, socket });
        }),
      );
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return new WireFrameServer(server, client);
  }

  get port(): number {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error(`wire frame server: no port (address ${address})`);
    return address.port;
  }

  /** Sends the frames in order once the client is connected, waiting while the socket's buffer is full. */
  async send(frames: readonly string[]): Promise<void> {
    const { ws, socket } = await this.client;
    for (const chunk of encodeTextFrames(frames)) {
      if (ws.readyState !== WebSocket.OPEN) throw new Error('wire frame server: the client went away');
      if (!socket.write(chunk)) await once(socket, 'drain');
    }
  }

  /** Closes the connection (code 1000, after every frame sent) and the server. */
  async close(): Promise<void> {
    const { ws } = await this.client;
    if (ws.readyState !== WebSocket.CLOSED) {
      const closed = once(ws, 'close');
      ws.close(1000, 'end of bench');
      await closed;
    }
    await new Promise((resolve) => this.server.close(resolve));
  }
}

// A WebSocket client for load generation at a fraction of `ws`'s CPU: a plain TCP socket that does
// the RFC 6455 opening handshake (key, 101, Sec-WebSocket-Accept checked), then reads the server's
// frames by their header (§5.2: unmasked, unfragmented — the broadcaster never fragments) straight
// from one read buffer shared by every client of the process, and hands each text payload over as a
// byte range: no Buffer, string or event per message. Answers pings (the server's heartbeat) and
// close; its own frames are masked as a client's must be.
import { createHash, randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OP_CONTINUATION = 0x0;
const OP_TEXT = 0x1;
const OP_BINARY = 0x2;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;
const FIN = 0x80;
const MASK = 0x80;
const MEDIUM_LENGTH = 126;
const LONG_LENGTH = 127;
const SHORT_LENGTH_MAX = 125;
/** Larger than any frame the broadcaster sends at once in a read: libuv reads up to this much per call. */
const READ_BUFFER_BYTES = 256 * 1024;
const HEADER_END = Buffer.from('\r\n\r\n');
/** An HTTP response head longer than this is not a WebSocket server's answer. */
const MAX_HEAD_BYTES = 16 * 1024;

/** Every client of the process reads into this: callbacks run one at a time on one thread. */
const sharedReadBuffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);

/** A text message: its UTF-8 payload is bytes start..end of `data`, valid only during the call. */
export type OnText = (data: Buffer, start: number, end: number) => void;

/** A frame or handshake the client cannot take: the server broke the protocol. */
export class WebSocketProtocolError extends Error {
  readonly code = 'WS_PROTOCOL';
}

/** One masked client frame (§5.3): masking is required of clients, so the server would refuse without. */
export function clientFrame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const lengthBytes = length <= SHORT_LENGTH_MAX ? 0 : length <= 0xffff ? 2 : 8;
  const frame = Buffer.allocUnsafe(2 + lengthBytes + 4 + length);
  frame[0] = FIN | opcode;
  if (lengthBytes === 0) frame[1] = MASK | length;
  else if (lengthBytes === 2) {
    frame[1] = MASK | MEDIUM_LENGTH;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = MASK | LONG_LENGTH;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  const maskAt = 2 + lengthBytes;
  randomBytes(4).copy(frame, maskAt);
  for (let i = 0; i < length; i++) frame[maskAt + 4 + i] = (payload[i] as number) ^ (frame[maskAt + (i & 3)] as number);
  return frame;
}

export class RawWebSocketClient {
  /** Set when the connection ended; `error` says why when it was not a normal close. */
  closed = false;
  error: Error | undefined;
  /** Pings from the server answered with a pong. */
  pingsAnswered = 0;
  private handshakeDone = false;
  private head: Buffer | undefined;
  /** The incomplete frame at the end of the last read (copied: the read buffer is reused). */
  private pending: Buffer | undefined;
  private onClose: (() => void) | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly onText: OnText,
  ) {}

  /** Opens `url` (ws://host:port/path?query) and resolves after the 101 with a valid accept key. */
  static open(url: string, onText: OnText): Promise<RawWebSocketClient> {
    const { hostname, port, pathname, search } = new URL(url);
    const key = randomBytes(16).toString('base64');
    const expectedAccept = createHash('sha1')
      .update(key + WS_GUID)
      .digest('base64');
    return new Promise((resolve, reject) => {
      const socket = connect({
        host: hostname,
        port: Number(port),
        noDelay: true,
        onread: {
          buffer: sharedReadBuffer,
          callback: (nread: number, buf: Uint8Array): boolean => {
            // Reads start after connect, by when `client` is set.
            client.read(buf as Buffer, nread, expectedAccept, resolve);
            return true;
          },
        },
      });
      const client = new RawWebSocketClient(socket, onText);
      socket.once('connect', () =>
        socket.write(
          `GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
        ),
      );
      socket.on('error', (err) => {
        client.error ??= err;
        if (!client.handshakeDone) reject(err);
      });
      socket.once('close', () => {
        client.closed = true;
        if (!client.handshakeDone) reject(client.error ?? new WebSocketProtocolError('connection closed before the handshake completed'));
        client.onClose?.();
      });
    });
  }

  /** Sends one text message (masked). */
  send(text: string): void {
    this.socket.write(clientFrame(OP_TEXT, Buffer.from(text, 'utf8')));
  }

  /** Runs `listener` when the connection ends (after a close frame, a reset or an error). */
  whenClosed(listener: () => void): void {
    this.onClose = listener;
  }

  /** Cuts the connection without a close handshake. */
  terminate(): void {
    this.socket.destroy();
  }

  private fail(message: string): void {
    this.error = new WebSocketProtocolError(message);
    this.socket.destroy();
  }

  private read(buf: Buffer, nread: number, expectedAccept: string, opened: (c: RawWebSocketClient) => void): void {
    if (!this.handshakeDone) {
      const head = this.head ? Buffer.concat([this.head, buf.subarray(0, nread)]) : Buffer.from(buf.subarray(0, nread));
      const end = head.indexOf(HEADER_END);
      if (end < 0) {
        if (head.length > MAX_HEAD_BYTES) this.fail('no end to the HTTP response head');
        else this.head = head;
        return;
      }
      this.head = undefined;
      const problem = handshakeProblem(head.toString('latin1', 0, end), expectedAccept);
      if (problem) return this.fail(problem);
      this.handshakeDone = true;
      opened(this);
      const rest = head.subarray(end + HEADER_END.length);
      if (rest.length > 0) this.frames(rest, rest.length);
      return;
    }
    this.frames(buf, nread);
  }

  /** Parses every whole frame in data[0..end) (after what the last read left); keeps the rest. */
  private frames(buf: Buffer, nread: number): void {
    let data = buf;
    let end = nread;
    if (this.pending) {
      data = Buffer.concat([this.pending, buf.subarray(0, nread)]);
      end = data.length;
      this.pending = undefined;
    }
    let at = 0;
    while (end - at >= 2) {
      const b0 = data[at] as number;
      const b1 = data[at + 1] as number;
      if ((b1 & MASK) !== 0) return this.fail('a server frame was masked (RFC 6455 §5.1)');
      if ((b0 & FIN) === 0 || (b0 & 0x0f) === OP_CONTINUATION) return this.fail('a fragmented frame: the broadcaster never fragments');
      let length = b1 & 0x7f;
      let header = 2;
      if (length === MEDIUM_LENGTH) {
        if (end - at < 4) break;
        length = data.readUInt16BE(at + 2);
        header = 4;
      } else if (length === LONG_LENGTH) {
        if (end - at < 10) break;
        length = data.readUInt32BE(at + 2) * 2 ** 32 + data.readUInt32BE(at + 6);
        header = 10;
      }
      if (end - at < header + length) break;
      const from = at + header;
      at = from + length;
      const opcode = b0 & 0x0f;
      if (opcode === OP_TEXT) this.onText(data, from, at);
      else if (opcode === OP_PING) {
        this.socket.write(clientFrame(OP_PONG, Buffer.from(data.subarray(from, at))));
        this.pingsAnswered++;
      } else if (opcode === OP_CLOSE) {
        this.socket.end(clientFrame(OP_CLOSE, Buffer.from(data.subarray(from, Math.min(at, from + 2)))));
        return;
      } else if (opcode === OP_BINARY) return this.fail('a binary frame: the broadcaster sends text only');
      // A pong (answering nothing we sent) is ignored.
    }
    if (at < end) this.pending = Buffer.from(data.subarray(at, end));
  }
}

/** Why the opening handshake's response is not a 101 with the accept key RFC 6455 §4.2.2 requires. */
function handshakeProblem(head: string, expectedAccept: string): string | undefined {
  const [status = '', ...lines] = head.split('\r\n');
  if (!/^HTTP\/1\.1 101 /.test(status)) return `the server answered "${status.slice(0, 200)}" instead of 101`;
  const accept = lines.find((l) => l.toLowerCase().startsWith('sec-websocket-accept:'));
  const value = accept?.slice(accept.indexOf(':') + 1).trim();
  if (value !== expectedAccept) return `Sec-WebSocket-Accept ${value ?? '(missing)'} does not match the key sent`;
  return undefined;
}

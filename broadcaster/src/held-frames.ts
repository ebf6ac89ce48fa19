// One client's frames of the current turn, held in an array and written at the flush as one buffer:
// one write of one buffer per client and turn, shared by the clients given the same frames (see
// WriteBatch.join), instead of a write per message into a corked stream (a buffered-chunk object per
// delivery, then `writev` over them). ws writes its own frames to the same socket (pongs, the close
// after a protocol error, its close reply): each of its writes first releases what is held, so every
// frame reaches the socket in the order it was given — an `error` answer before the close that follows it.
import type { Duplex } from 'node:stream';
import type { Flushable, WriteBatch } from './write-batch.ts';

type Write = (this: Duplex, chunk: unknown, ...rest: unknown[]) => boolean;
type End = (this: Duplex, ...args: unknown[]) => Duplex;

/** The socket's HeldFrames: found by the shared write/end below, so no closure per client is kept. */
const HELD = Symbol('heldFrames');
type HeldSocket = Duplex & { [HELD]?: HeldFrames };

/** Whatever else writes to a held socket (ws: control frames, close) goes after what is held. */
function writeAfterHeld(this: HeldSocket, chunk: unknown, ...rest: unknown[]): boolean {
  this[HELD]?.release();
  return (Object.getPrototypeOf(this) as { write: Write }).write.call(this, chunk, ...rest);
}

function endAfterHeld(this: HeldSocket, ...args: unknown[]): Duplex {
  this[HELD]?.release();
  return (Object.getPrototypeOf(this) as { end: End }).end.call(this, ...args);
}

export class HeldFrames implements Flushable {
  /** Bytes held, not yet handed to the socket. */
  bytes = 0;
  private readonly frames: Buffer[] = [];
  private registered = false;

  constructor(
    private readonly socket: Duplex,
    private readonly batch: WriteBatch,
  ) {
    const held = socket as HeldSocket;
    held[HELD] = this;
    held.write = writeAfterHeld as Duplex['write'];
    held.end = endAfterHeld as Duplex['end'];
  }

  /** Holds `frame` for the next flush (registering with the batch on the turn's first frame). */
  push(frame: Buffer): void {
    if (!this.registered) {
      this.registered = true;
      this.batch.hold(this);
    }
    this.frames.push(frame);
    this.bytes += frame.length;
  }

  /** The batch's flush: what is held goes out. */
  flush(): void {
    this.registered = false;
    this.release();
  }

  /** Writes what is held to the socket now, as one buffer. */
  release(): void {
    const frames = this.frames;
    if (frames.length === 0) return;
    const chunk = frames.length === 1 ? (frames[0] as Buffer) : this.batch.join(frames);
    frames.length = 0; // join() kept a copy
    this.bytes = 0;
    // A socket that was destroyed meanwhile takes nothing more (its client is gone).
    if (this.socket.writable) (Object.getPrototypeOf(this.socket) as { write: Write }).write.call(this.socket, chunk);
  }
}

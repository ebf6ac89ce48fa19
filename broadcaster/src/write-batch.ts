// Writes to one client leave as one write (one system call) per flush: the frames a client is given
// within a turn wait in its HeldWrites, and the flush writes them as one buffer. Each write to a
// socket is a system call that also carries the loopback/TCP work of sending it — most of the
// broadcaster's CPU at 1,000 clients — so the messages that arrive within one flush share each
// client's write. Clients given the same frames in a turn (the common case: the same subscriptions)
// share one joined buffer, so the per-client cost of a flush is one `write` of a ready Buffer: no
// cork/uncork, no per-message stream bookkeeping, no iovec array per client.
// When a flush happened less than `minIntervalMs` ago, the next one waits for the rest of that
// interval (at 200 msg/s and 10 ms: two or three messages per write instead of one); otherwise it runs
// after the current turn's I/O (setImmediate) — when idle, nothing waits.
import type { Writable } from 'node:stream';

/** One client's frames waiting for the flush, and the stream they go to. */
export class HeldWrites {
  readonly frames: Buffer[] = [];
  constructor(readonly out: Writable) {}
}

export class WriteBatch {
  private readonly held: HeldWrites[] = [];
  private immediate: NodeJS.Immediate | undefined;
  private timer: NodeJS.Timeout | undefined;
  private turnNumber = 0;
  private lastFlushAt = Number.NEGATIVE_INFINITY;
  /** The frames last joined in this flush and their join, reused by the next client with the same frames. */
  private readonly joinedFrames: Buffer[] = [];
  private joined: Buffer | undefined;
  private readonly flush = (): void => {
    this.immediate = undefined;
    this.timer = undefined;
    this.lastFlushAt = this.now();
    this.turnNumber++;
    const held = this.held;
    for (let i = 0; i < held.length; i++) this.writeOut(held[i] as HeldWrites);
    held.length = 0;
    this.joinedFrames.length = 0;
    this.joined = undefined;
    this.afterFlush?.();
  };

  /** `afterFlush` runs once the turn's writes have been handed to the sockets; `now` is in ms. */
  constructor(
    private readonly afterFlush?: () => void,
    private readonly minIntervalMs = 0,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Changes at each flush: a client held in the current turn needs no second hold. */
  get turn(): number {
    return this.turnNumber;
  }

  /** True while writes are held for a flush to come. */
  get pending(): boolean {
    return this.immediate !== undefined || this.timer !== undefined;
  }

  /** Writes `writes.frames` at the next flush; call at most once per client per turn, then push
   * frames to `writes.frames` until the flush. */
  hold(writes: HeldWrites): void {
    this.held.push(writes);
    if (this.pending) return;
    const wait = this.lastFlushAt + this.minIntervalMs - this.now();
    if (wait > 0) this.timer = setTimeout(this.flush, wait);
    else this.immediate = setImmediate(this.flush);
  }

  /** Writes what one client holds now, ahead of the flush: before anything written to its socket
   * directly that must follow those frames (a close frame). */
  release(writes: HeldWrites): void {
    this.writeOut(writes);
  }

  /** Flushes what is held now (shutdown: nothing may stay held behind a timer). */
  flushNow(): void {
    if (!this.pending) return;
    clearImmediate(this.immediate);
    clearTimeout(this.timer);
    this.flush();
  }

  private writeOut(writes: HeldWrites): void {
    const frames = writes.frames;
    const count = frames.length;
    if (count === 0) return;
    // A socket that closed since the frames were given to it takes no more writes.
    if (writes.out.writable) writes.out.write(count === 1 ? (frames[0] as Buffer) : this.join(frames));
    frames.length = 0;
  }

  private join(frames: readonly Buffer[]): Buffer {
    const last = this.joinedFrames;
    let same = this.joined !== undefined && last.length === frames.length;
    for (let i = 0; same && i < frames.length; i++) same = last[i] === frames[i];
    if (same) return this.joined as Buffer;
    last.length = 0;
    for (let i = 0; i < frames.length; i++) last.push(frames[i] as Buffer);
    this.joined = Buffer.concat(frames);
    return this.joined;
  }
}

// When the clients' held frames go out: one flush per turn writes each client's frames of the turn
// as one buffer (held-frames.ts), one system call per client. Each write to a socket is a system call
// that also carries the loopback/TCP work of sending it — most of the broadcaster's CPU at 1,000
// clients — so the messages that arrive within one flush share each client's write.
// When a flush happened less than `minIntervalMs` ago, the next one waits for the rest of that
// interval (at 200 msg/s and 10 ms: two or three messages per write instead of one); otherwise it runs
// after the current turn's I/O (setImmediate) — when idle, nothing waits.

/** What the batch flushes: a client's held frames (see HeldFrames). */
export interface Flushable {
  flush(): void;
}

export class WriteBatch {
  private readonly held: Flushable[] = [];
  private immediate: NodeJS.Immediate | undefined;
  private timer: NodeJS.Timeout | undefined;
  private turnNumber = 0;
  private lastFlushAt = Number.NEGATIVE_INFINITY;
  /** The frames joined last, and the joined buffer: the next client given the same frames shares it. */
  private lastFrames: Buffer[] = [];
  private lastJoined: Buffer | undefined;
  private readonly flushAll = (): void => {
    this.immediate = undefined;
    this.timer = undefined;
    this.lastFlushAt = this.now();
    this.turnNumber++;
    const held = this.held;
    for (let i = 0; i < held.length; i++) (held[i] as Flushable).flush();
    held.length = 0;
    this.lastFrames = [];
    this.lastJoined = undefined;
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

  /** Flushes `client` at the next flush; call at most once per client per turn. */
  hold(client: Flushable): void {
    this.held.push(client);
    if (this.pending) return;
    const wait = this.lastFlushAt + this.minIntervalMs - this.now();
    if (wait > 0) this.timer = setTimeout(this.flushAll, wait);
    else this.immediate = setImmediate(this.flushAll);
  }

  /** `frames` as one buffer. Clients given the same frames in a turn (all subscribers of the same
   * stream) share one: the concatenation is done once per turn, not once per client. */
  join(frames: readonly Buffer[]): Buffer {
    const last = this.lastFrames;
    if (this.lastJoined !== undefined && last.length === frames.length) {
      let same = true;
      for (let i = 0; i < frames.length && same; i++) same = frames[i] === last[i];
      if (same) return this.lastJoined;
    }
    this.lastFrames = frames.slice();
    this.lastJoined = Buffer.concat(frames);
    return this.lastJoined;
  }

  /** Flushes what is held now (shutdown: nothing may stay held behind a timer). */
  flushNow(): void {
    if (!this.pending) return;
    clearImmediate(this.immediate);
    clearTimeout(this.timer);
    this.flushAll();
  }
}

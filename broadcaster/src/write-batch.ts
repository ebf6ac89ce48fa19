// Writes to one client leave as one syscall per flush: the first write corks the client's socket,
// and the flush uncorks every corked socket. Each write to a socket is a system call that also
// carries the loopback/TCP work of sending it — most of the broadcaster's CPU at 1,000 clients — so
// the messages that arrive within one flush share each client's write.
// When a flush happened less than `minIntervalMs` ago, the next one waits for the rest of that
// interval (at 200 msg/s and 10 ms: two or three messages per write instead of one); otherwise it runs
// after the current turn's I/O (setImmediate) — when idle, nothing waits.
import type { Writable } from 'node:stream';

export class WriteBatch {
  private readonly corked: Writable[] = [];
  private immediate: NodeJS.Immediate | undefined;
  private timer: NodeJS.Timeout | undefined;
  private turnNumber = 0;
  private lastFlushAt = Number.NEGATIVE_INFINITY;
  private readonly flush = (): void => {
    this.immediate = undefined;
    this.timer = undefined;
    this.lastFlushAt = this.now();
    this.turnNumber++;
    const corked = this.corked;
    for (let i = 0; i < corked.length; i++) (corked[i] as Writable).uncork();
    corked.length = 0;
    this.afterFlush?.();
  };

  /** `afterFlush` runs once the turn's writes have been handed to the sockets; `now` is in ms. */
  constructor(
    private readonly afterFlush?: () => void,
    private readonly minIntervalMs = 0,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Changes at each flush: a socket held in the current turn needs no second hold. */
  get turn(): number {
    return this.turnNumber;
  }

  /** True while writes are held for a flush to come. */
  get pending(): boolean {
    return this.immediate !== undefined || this.timer !== undefined;
  }

  /** Corks `socket` until the next flush; call at most once per socket per turn. */
  hold(socket: Writable): void {
    socket.cork();
    this.corked.push(socket);
    if (this.pending) return;
    const wait = this.lastFlushAt + this.minIntervalMs - this.now();
    if (wait > 0) this.timer = setTimeout(this.flush, wait);
    else this.immediate = setImmediate(this.flush);
  }

  /** Flushes what is held now (shutdown: nothing may stay corked behind a timer). */
  flushNow(): void {
    if (!this.pending) return;
    clearImmediate(this.immediate);
    clearTimeout(this.timer);
    this.flush();
  }
}

// Watches one connection's socket for signs of life: samples its traffic every check interval and
// reports it dead per connection-liveness.ts. Sends nothing itself: the checks it waits on are
// whatever the connection writes (pg-listen's paranoid check query).
import { initialLiveness, type LivenessState, nextLiveness } from '../connection-liveness.ts';

export interface TrafficSource {
  readonly bytesRead: number;
  readonly bytesWritten: number;
}

export interface LivenessWatchOptions {
  readonly source: TrafficSource;
  readonly checkMs: number;
  /** Consecutive unanswered samples after which the connection is dead. */
  readonly deadAfter: number;
  /** True while reading is paused on purpose (flow control): no verdict then. */
  readonly isPaused: () => boolean;
  readonly onDead: (reason: string) => void;
}

export class LivenessWatch {
  private state: LivenessState;
  private readonly timer: NodeJS.Timeout;
  private immediate: NodeJS.Immediate | undefined;
  private stopped = false;

  constructor(private readonly options: LivenessWatchOptions) {
    this.state = initialLiveness(options.source);
    // The sample waits for the I/O phase after the timer: when the event loop was blocked, the
    // answer sits unread in the kernel while the timer fires, and it must be read before judging.
    this.timer = setInterval(() => {
      this.immediate ??= setImmediate(() => this.sample());
    }, options.checkMs);
  }

  /** Consecutive samples so far in which an owed answer did not come. */
  get unansweredChecks(): number {
    return this.state.unansweredChecks;
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
  }

  private sample(): void {
    this.immediate = undefined;
    if (this.stopped) return;
    const { source, deadAfter, checkMs } = this.options;
    const next = nextLiveness(
      this.state,
      { bytesRead: source.bytesRead, bytesWritten: source.bytesWritten, paused: this.options.isPaused() },
      deadAfter,
    );
    this.state = next.state;
    if (next.verdict !== 'dead') return;
    this.stop();
    this.options.onDead(`nothing read in ${deadAfter} consecutive checks ${checkMs} ms apart while a check was unanswered`);
  }
}

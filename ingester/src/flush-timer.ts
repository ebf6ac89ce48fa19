// One flush lane's next flush, scheduled once at a time (ingest-flusher.ts): after a delay, and again
// at once while the lane has more to write.

export class FlushTimer {
  private cancel: (() => void) | undefined;
  private halted = false;

  /** `flush` writes the lane's next batch; `again` says, once it settled, after how many ms to flush
   * again (undefined: nothing left). */
  constructor(
    private readonly flush: () => Promise<void>,
    private readonly again: () => number | undefined,
  ) {}

  /** A flush in `delayMs`, unless one is scheduled already or the timer was halted. */
  schedule(delayMs: number): void {
    if (this.cancel || this.halted) return;
    this.cancel = soon(delayMs, () => {
      this.cancel = undefined;
      void this.flush().then(() => {
        const delay = this.again();
        if (delay !== undefined) this.schedule(delay);
      });
    });
  }

  /** Nothing is scheduled from now on. */
  halt(): void {
    this.halted = true;
    this.cancel?.();
    this.cancel = undefined;
  }
}

/** Runs `run` after `delayMs` (0: a timer still, at least 1 ms in Node: setImmediate was tried and made
 * the flood's flushes dearer, docs/BENCHMARKS.md "flush1 session"). Returns a cancel. */
function soon(delayMs: number, run: () => void): () => void {
  const timer = setTimeout(run, delayMs);
  return () => clearTimeout(timer);
}

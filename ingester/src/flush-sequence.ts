// Orders one lane of the ingest pipeline's flushes (its ticks, or its bars: ingest-flusher.ts): at most
// two under way, the newer one started once the older one's rows are on their way in (it takes its batch
// and makes its COPY data then, and COPYs on its turn: once the older one's rows are in); they commit in
// the order started (writeFlush's `order`), and failed ones go back to the buffers in that order once
// none is under way.

/** One flush's write: `after` settles true when the flush before it committed; `turn` settles when the
 * flush before has its rows in (rowsIn) or ended; true when this one committed. */
export type FlushRun = (seq: number, after: Promise<boolean> | undefined, turn: Promise<void> | undefined) => Promise<boolean>;

export class FlushSequence<Batch> {
  private newest: Promise<void> | undefined;
  private newestOutcome: Promise<boolean> | undefined;
  private inFlight = 0;
  private newestWriting = false;
  private seq = 0;
  private failed: { seq: number; batch: Batch }[] = [];
  /** Per flush under way, what settles its successor's turn; the newest's turn promise. */
  private readonly rowsInOf = new Map<number, () => void>();
  private newestRowsIn: Promise<void> | undefined;

  /** `requeue` puts a failed flush's batch back in front of its buffer. */
  constructor(private readonly requeue: (batch: Batch) => void) {}

  /** Flushes under way (two at most). */
  get running(): number {
    return this.inFlight;
  }

  /** The newest flush under way (it settles after every earlier one), if any. */
  get current(): Promise<void> | undefined {
    return this.newest;
  }

  /** Starts `run`, or hands back the newest flush under way when a second may not start yet: two
   * are under way already, the newest has not started writing, or a failed one waits to be requeued. */
  start(run: FlushRun): Promise<void> {
    if (this.newest && (this.inFlight >= 2 || !this.newestWriting || this.failed.length > 0)) return this.newest;
    const seq = ++this.seq;
    this.inFlight++;
    this.newestWriting = false;
    const turn = this.inFlight > 1 ? this.newestRowsIn : undefined;
    this.newestRowsIn = new Promise<void>((resolve) => this.rowsInOf.set(seq, resolve));
    const outcome = run(seq, this.inFlight > 1 ? this.newestOutcome : undefined, turn).finally(() => {
      this.rowsIn(seq);
      this.inFlight--;
      if (this.inFlight > 0) return;
      // Newest failed flush first: each requeue goes in front, so the oldest ends up first.
      for (const f of this.failed.sort((a, b) => b.seq - a.seq)) this.requeue(f.batch);
      this.failed = [];
      this.newest = undefined;
      this.newestOutcome = undefined;
      this.newestRowsIn = undefined;
    });
    this.newestOutcome = outcome;
    this.newest = outcome.then(() => undefined);
    return this.newest;
  }

  /** Flush `seq` has its ticks on their way in; true when it is the newest (the next may start now). */
  writing(seq: number): boolean {
    if (seq !== this.seq) return false;
    this.newestWriting = true;
    return true;
  }

  /** Flush `seq` has its rows in: the next one's turn (its COPY may start). */
  rowsIn(seq: number): void {
    this.rowsInOf.get(seq)?.();
    this.rowsInOf.delete(seq);
  }

  /** Flush `seq` failed (or was rolled back after the one before it failed): requeued in order later. */
  failedWith(seq: number, batch: Batch): void {
    this.failed.push({ seq, batch });
  }
}

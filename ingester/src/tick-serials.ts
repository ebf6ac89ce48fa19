// Which ticks are not stored yet, by arrival serial: a bar flush commits only once every tick that
// arrived before its bars were taken is stored (or dropped for good), so that a bar is never stored
// ahead of the ticks it was built from (replay-resume.ts rebuilds from stored ticks what is not stored
// closed). It mirrors the tick buffer's operations (taken from the front, put back in front, oldest
// dropped), as runs of consecutive serials: the buffer is always in arrival order.

/** A taken batch's serials: [first serial, count] runs, oldest first. */
export type SerialRuns = readonly (readonly [number, number])[];

export class TickSerials {
  private next = 0;
  /** The buffered ticks' serials, oldest first. */
  private buffered: [number, number][] = [];
  /** Batches taken and not yet settled (stored, dropped or put back). */
  private readonly inFlight = new Set<SerialRuns>();

  /** Serial of the next tick to arrive: every tick that arrived so far has a lower one. */
  get arrived(): number {
    return this.next;
  }

  /** The lowest serial still waiting for the database (buffered or in flight); `arrived` when none. */
  get oldestPending(): number {
    let oldest = this.buffered[0]?.[0] ?? this.next;
    for (const runs of this.inFlight) oldest = Math.min(oldest, runs[0]?.[0] ?? oldest);
    return oldest;
  }

  /** The lowest serial still in the buffer (not taken by a flush); `arrived` when none is. */
  get oldestBuffered(): number {
    return this.buffered[0]?.[0] ?? this.next;
  }

  /** A tick arrived (appended to the buffer). */
  append(): void {
    const last = this.buffered[this.buffered.length - 1];
    if (last && last[0] + last[1] === this.next) last[1]++;
    else this.buffered.push([this.next, 1]);
    this.next++;
  }

  /** The oldest `n` buffered ticks were taken by a flush: in flight until settled or put back. */
  take(n: number): SerialRuns {
    const runs = this.shift(n);
    this.inFlight.add(runs);
    return runs;
  }

  /** The oldest `n` buffered ticks were dropped (the buffer was full): never to be stored. */
  dropOldest(n: number): void {
    this.shift(n);
  }

  /** A taken batch was stored, or dropped for good. */
  settle(runs: SerialRuns): void {
    this.inFlight.delete(runs);
  }

  /** Only the ticks `keep` says of a taken batch are still to be stored (the rest were left out). */
  narrow(runs: SerialRuns, keep: (i: number) => boolean): SerialRuns {
    this.inFlight.delete(runs);
    const kept = subset(runs, keep);
    this.inFlight.add(kept);
    return kept;
  }

  /** A failed batch goes back in front of the buffer (after any put back since: call newest first). */
  putBack(runs: SerialRuns): void {
    this.inFlight.delete(runs);
    for (let r = runs.length - 1; r >= 0; r--) {
      const [first, count] = runs[r] as readonly [number, number];
      const front = this.buffered[0];
      // Adjacent runs merge: a batch put back is usually one run with the buffer's front.
      if (front && first + count === front[0]) {
        front[0] = first;
        front[1] += count;
      } else this.buffered.unshift([first, count]);
    }
  }

  /** How many serials are buffered (equals the tick buffer's length). */
  get bufferedCount(): number {
    let n = 0;
    for (const [, count] of this.buffered) n += count;
    return n;
  }

  private shift(n: number): SerialRuns {
    const out: [number, number][] = [];
    let left = n;
    while (left > 0) {
      const run = this.buffered[0];
      if (!run) throw new Error(`TickSerials: ${left} more ticks taken than buffered`);
      const count = Math.min(left, run[1]);
      out.push([run[0], count]);
      left -= count;
      if (count === run[1]) this.buffered.shift();
      else {
        run[0] += count;
        run[1] -= count;
      }
    }
    return out;
  }
}

/** The runs of the batch's ticks `keep` accepts (by index in the batch). */
function subset(runs: SerialRuns, keep: (i: number) => boolean): SerialRuns {
  const out: [number, number][] = [];
  let i = 0;
  for (const [first, count] of runs) {
    for (let k = 0; k < count; k++, i++) {
      if (!keep(i)) continue;
      const last = out[out.length - 1];
      if (last && last[0] + last[1] === first + k) last[1]++;
      else out.push([first + k, 1]);
    }
  }
  return out;
}

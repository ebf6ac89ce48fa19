// Ticks waiting for a tick flush, with their arrival serials (tick-serials.ts): what a bar flush asks
// before it commits (are all ticks that arrived before its bars stored?), and what a failed flush or a
// lost lease leaves of a batch.
import type { IngestFence } from './fence-check.ts';
import type { TickBatch } from './tick-batch.ts';
import { TickBuffer } from './tick-buffer.ts';
import { type SerialRuns, TickSerials } from './tick-serials.ts';

/** A tick flush's batch and the arrival serials of its ticks. */
export interface PendingTickBatch {
  readonly ticks: TickBatch;
  readonly serials: SerialRuns;
}

export class PendingTicks {
  private readonly buffer = new TickBuffer();
  private readonly serials = new TickSerials();

  /** `fence`: the lease fence whose lost contracts' ticks are left out (absent when leases are off). */
  constructor(private readonly fence: IngestFence | undefined) {}

  get length(): number {
    return this.buffer.length;
  }

  /** Serial of the next tick to arrive. */
  get arrived(): number {
    return this.serials.arrived;
  }

  /** Every tick with a serial below `serial` is stored, or dropped for good. */
  settledBefore(serial: number): boolean {
    return this.serials.oldestPending >= serial;
  }

  /** Some tick with a serial below `serial` is still buffered: no flush has taken it yet. */
  bufferedBefore(serial: number): boolean {
    return this.serials.oldestBuffered < serial;
  }

  append(trade: Parameters<TickBuffer['append']>[0]): void {
    this.buffer.append(trade);
    this.serials.append();
  }

  /** The oldest `max` ticks at most, less those of leases lost (`fenced` counts them). */
  take(max: number): PendingTickBatch & { fenced: number } {
    const taken = this.buffer.take(max);
    const serials = this.serials.take(taken.length);
    if (!this.fence?.anyLost) return { ticks: taken, serials, fenced: 0 };
    return this.leaveOutLost({ ticks: taken, serials });
  }

  /** The batch was stored. */
  settle(batch: PendingTickBatch): void {
    this.serials.settle(batch.serials);
  }

  /** A failed batch goes back in front (call newest first), less the ticks of leases lost since:
   * returns how many of those were left out. */
  putBack(batch: PendingTickBatch): number {
    const kept = this.fence ? this.leaveOutLost(batch) : { ...batch, fenced: 0 };
    this.buffer.putBack(kept.ticks);
    this.serials.putBack(kept.serials);
    return kept.fenced;
  }

  /** Forgets the oldest `n` ticks (the buffer is full). */
  dropOldest(n: number): void {
    this.buffer.dropOldest(n);
    this.serials.dropOldest(n);
  }

  /** A contract whose lease went elsewhere: the new holder resumes it from what is stored. */
  private leaveOutLost(batch: PendingTickBatch): PendingTickBatch & { fenced: number } {
    const fence = this.fence;
    if (!fence) return { ...batch, fenced: 0 };
    const { ticks } = batch;
    const kept = fence.keepHeld([], ticks);
    if (kept.dropped === 0) return { ...batch, fenced: 0 };
    const serials = this.serials.narrow(batch.serials, (i) => fence.holds(ticks.contractIds[ticks.contract[i] as number] as string));
    return { ticks: kept.ticks, serials, fenced: kept.dropped };
  }
}

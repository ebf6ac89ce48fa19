// Whether each flush lane's last write went through (ingest-flusher.ts), and what a failed one counts
// and says: a database fault, a refusal by the lease fence (a takeover), or a flush rolled back to keep
// its lane's order.
import type { Logger, RateLimitedLog } from '@barstream/core/node';
import { FlushOrderError } from './bar-store.ts';
import { type IngestFence, isFenceLost } from './fence-check.ts';
import type { IngestMetrics } from './ingest-metrics.ts';
import { TicksNotStoredError } from './ticks-not-stored-error.ts';

export type FlushLane = 'ticks' | 'bars';

export interface FlushLaneHealthOptions {
  readonly logger: Logger;
  readonly metrics: IngestMetrics;
  readonly rateLimited: RateLimitedLog;
  readonly fence?: IngestFence;
}

export class FlushLaneHealth {
  private ticksOk = true;
  private barsOk = true;

  constructor(private readonly options: FlushLaneHealthOptions) {}

  /** The tick lane's last write went through (or none failed yet). */
  get ticks(): boolean {
    return this.ticksOk;
  }

  /** Both lanes' last writes went through. */
  get ok(): boolean {
    return this.ticksOk && this.barsOk;
  }

  succeeded(lane: FlushLane): void {
    if (!this.ok) this.options.logger.info({ lane }, 'database writes recovered');
    if (lane === 'ticks') this.ticksOk = true;
    else this.barsOk = true;
  }

  failed(lane: FlushLane, err: unknown, bars: number, ticks: number): void {
    const { metrics } = this.options;
    const fenceLost = isFenceLost(err);
    // A refusal by the lease fence is a takeover, counted apart (fenceRefused below), not a database
    // fault. A bar flush that did not start because its ticks failed is that tick flush's failure,
    // counted once (a rollback to keep a lane's order is a flush undone: counted, as ever).
    if (!fenceLost && !(err instanceof TicksNotStoredError)) metrics.flushFailures.inc();
    const ordering = err instanceof FlushOrderError || err instanceof TicksNotStoredError;
    if (lane === 'ticks') this.ticksOk = false;
    else this.barsOk = false;
    // The lease moved: its units count as lost at once (their feed stops), so nothing of them is retried.
    if (fenceLost) {
      this.options.fence?.refused(err);
      metrics.fenceRefused.inc({ write: 'flush' });
    }
    if (ordering) return;
    this.options.rateLimited.warn(
      fenceLost ? 'fence' : 'flush',
      { lane, err: (err as Error).message, bars, ticks },
      fenceLost ? 'flush refused by the lease fence; what is still leased is retried' : 'flush failed; will retry',
    );
  }
}

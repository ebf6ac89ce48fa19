// "Now" for aggregation, taken from the market-data stream for every provider: bars close on stream
// time, whatever the wall clock says. A feed replayed at 600×, or stamped hours away from this
// machine's clock, is aggregated exactly like a live one.
//
// The quiet-stream rule: between trades, stream time advances from the newest trade by the wall
// time elapsed since that trade arrived, times `rate` (1 for live feeds, 0 for replays, whose
// provider paces emission itself and signals the end of the stream). So a live feed that goes
// quiet still closes its bars one grace period after their bucket ends, and a trade never moves
// the clock backwards. There is no cap: a quiet live market is time passing (a Friday's last
// bars must close over the weekend); a stream resuming behind the extrapolated clock has its
// trades for already-closed buckets counted as late.
export interface MarketClockOptions {
  /** Stream milliseconds per wall millisecond between trades (1 live; 0: stand still until the
   * next trade, for replays paced by their provider). */
  readonly rate?: number;
  readonly wall?: () => number;
}

export class MarketClock {
  private newest: number | undefined;
  private wallAtNewest = 0;
  private skew: number | undefined;
  private finished = false;
  private readonly rate: number;
  private readonly wall: () => number;
  private heldWall: number | undefined;

  constructor(options: MarketClockOptions = {}) {
    this.rate = options.rate ?? 1;
    this.wall = options.wall ?? (() => Date.now());
  }

  /** True once a trade has set stream time; before that, now() is the wall clock. */
  get started(): boolean {
    return this.newest !== undefined;
  }

  /** Trades handled in one synchronous batch arrived together: the wall clock is read once for all
   * of them (it was read several times per trade) until releaseWall(). */
  holdWall(): void {
    this.heldWall = this.wall();
  }

  releaseWall(): void {
    this.heldWall = undefined;
  }

  private wallNow(): number {
    return this.heldWall ?? this.wall();
  }

  /** A trade at `streamTime` arrived now: the clock moves to it if it is ahead. */
  observe(streamTime: number): void {
    const wall = this.wallNow();
    // Measured on every trade, ahead or not: how far the stream's stamps are from this machine.
    this.skew = streamTime - wall;
    if (this.newest === undefined || streamTime > this.now()) {
      this.newest = streamTime;
      this.wallAtNewest = wall;
    }
  }

  /** A stream that stopped at `streamTime` resumes (a replay's last stored tick): until its next
   * trade the clock is there, not at the wall clock, so bars continued from storage do not close at
   * the first flush. Never moves the clock backwards. */
  resumeAt(streamTime: number): void {
    if (this.newest !== undefined && streamTime <= this.now()) return;
    this.newest = streamTime;
    this.wallAtNewest = this.wallNow();
  }

  /** Stream time minus wall time at the last observed trade (undefined before the first one). */
  skewMs(): number | undefined {
    return this.skew;
  }

  /** The stream has ended (a finite replay): every bar may close. */
  finish(): void {
    this.finished = true;
  }

  now(): number {
    if (this.finished) return Number.MAX_SAFE_INTEGER;
    if (this.newest === undefined) return this.wallNow();
    return this.newest + (this.wallNow() - this.wallAtNewest) * this.rate;
  }
}

// "Now" for aggregation, taken from the market-data stream where the provider offers it, so
// replays and fakes at N× speed close bars on stream time rather than wall time.
export interface MarketClockOptions {
  /** Stream milliseconds per wall millisecond between observations (1 live, N for N× replay,
   * 0 to stand still until the next observation, for as-fast-as-possible replays). */
  readonly rate?: number;
  /** Live feeds: the clock starts at wall time, so the first trades are judged against it.
   * Replays: the first observation anchors the clock. */
  readonly anchorToWall?: boolean;
  readonly wall?: () => number;
}

export class MarketClock {
  private streamTime: number | undefined;
  private wallAtObserve = 0;
  private finished = false;
  private readonly rate: number;
  private readonly wall: () => number;

  constructor(private readonly options: MarketClockOptions = {}) {
    this.rate = options.rate ?? 1;
    this.wall = options.wall ?? Date.now;
  }

  /** True when a trade at `time` is plausible now; the pipeline rejects it otherwise, before it
   * is observed, so one bad timestamp cannot drag the clock. */
  plausible(time: number, maxSkewMs: number): boolean {
    if (this.streamTime === undefined && !this.options.anchorToWall) return true;
    const now = this.now();
    // A recorded stream legitimately jumps ahead over breaks and weekends; a live one must not.
    if (!this.options.anchorToWall) return time >= now - maxSkewMs;
    return Math.abs(time - now) <= maxSkewMs;
  }

  observe(streamTime: number): void {
    if (this.streamTime === undefined || streamTime > this.now()) {
      this.streamTime = streamTime;
      this.wallAtObserve = this.wall();
    }
  }

  /** The stream has ended (a finite replay): every bar may close. */
  finish(): void {
    this.finished = true;
  }

  now(): number {
    if (this.finished) return Number.MAX_SAFE_INTEGER;
    if (this.streamTime === undefined) return this.wall();
    return this.streamTime + (this.wall() - this.wallAtObserve) * this.rate;
  }
}

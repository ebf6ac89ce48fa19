// "Now" for aggregation: taken from the market-data stream where the provider offers it, so
// replays and fakes at N× speed close bars on stream time, not wall time.
export class MarketClock {
  private streamTime: number | undefined;
  private wallAtObserve = 0;

  /** @param rate stream milliseconds per wall millisecond (1 live, N for an N× replay). */
  constructor(private readonly rate = 1, private readonly wall: () => number = Date.now) {}

  observe(streamTime: number): void {
    if (this.streamTime === undefined || streamTime > this.now()) {
      this.streamTime = streamTime;
      this.wallAtObserve = this.wall();
    }
  }

  now(): number {
    if (this.streamTime === undefined) return this.wall();
    return this.streamTime + (this.wall() - this.wallAtObserve) * this.rate;
  }
}

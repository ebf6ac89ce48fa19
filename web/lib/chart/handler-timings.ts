// Main-thread cost of each live message (parse + apply), kept in a small ring buffer so a browser
// test or benchmark can read what live updates cost without a profiler.
const CAPACITY = 2_000;

export class HandlerTimings {
  private readonly samples = new Float64Array(CAPACITY);
  private next = 0;
  private total = 0;

  record(ms: number): void {
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % CAPACITY;
    this.total++;
  }

  /** The most recent samples, oldest first. */
  recent(): number[] {
    const n = Math.min(this.total, CAPACITY);
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(this.samples[(this.next - n + i + CAPACITY) % CAPACITY] as number);
    return out;
  }

  get count(): number {
    return this.total;
  }
}

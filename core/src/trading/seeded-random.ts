// Seeded PRNG (mulberry32) for the tick fill model's acknowledgement latency: the only randomness in the
// engine, so the same seed and inputs give the same fills in a backtest, a paper run and a replay.

/** A generator of floats in [0, 1) whose whole state is one 32-bit integer (`state`), so it can be replayed. */
export class SeededRandom {
  state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both inclusive. */
  integer(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
}

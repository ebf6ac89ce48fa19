// Many bars as six Float64Array columns (time, open, high, low, close, volume): a million bars read for a
// backtest as objects are a million long-lived objects (and five million boxed numbers) for the garbage
// collector to copy and mark; as columns they are six buffers, and a bar object is made only while it is
// being used.
import type { OhlcBar } from './bar.ts';

export class BarColumns {
  constructor(
    readonly time: Float64Array,
    readonly open: Float64Array,
    readonly high: Float64Array,
    readonly low: Float64Array,
    readonly close: Float64Array,
    readonly volume: Float64Array,
  ) {
    const n = time.length;
    if (![open, high, low, close, volume].every((c) => c.length === n)) throw new RangeError('BarColumns: columns of unequal length');
  }

  static fromBars(bars: readonly OhlcBar[]): BarColumns {
    const n = bars.length;
    const c = new BarColumns(...columns(n));
    for (let i = 0; i < n; i++) c.set(i, bars[i] as OhlcBar);
    return c;
  }

  get length(): number {
    return this.time.length;
  }

  /** Bar `i` as a new object. */
  at(i: number): OhlcBar {
    return {
      time: this.time[i] as number,
      open: this.open[i] as number,
      high: this.high[i] as number,
      low: this.low[i] as number,
      close: this.close[i] as number,
      volume: this.volume[i] as number,
    };
  }

  toBars(): OhlcBar[] {
    const bars = new Array<OhlcBar>(this.length);
    for (let i = 0; i < bars.length; i++) bars[i] = this.at(i);
    return bars;
  }

  private set(i: number, b: OhlcBar): void {
    this.time[i] = b.time;
    this.open[i] = b.open;
    this.high[i] = b.high;
    this.low[i] = b.low;
    this.close[i] = b.close;
    this.volume[i] = b.volume;
  }
}

type Columns = [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];

function columns(n: number): Columns {
  return [new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n)];
}

/** Builds BarColumns bar by bar, growing its columns by doubling. */
export class BarColumnsBuilder {
  private cols: Columns = columns(1024);
  private n = 0;

  add(time: number, open: number, high: number, low: number, close: number, volume: number): void {
    let c = this.cols;
    if (this.n === c[0].length) {
      const grown = columns(this.n * 2);
      for (let k = 0; k < 6; k++) grown[k]?.set(c[k] as Float64Array);
      this.cols = c = grown;
    }
    const i = this.n++;
    c[0][i] = time;
    c[1][i] = open;
    c[2][i] = high;
    c[3][i] = low;
    c[4][i] = close;
    c[5][i] = volume;
  }

  /** Starts over, keeping the columns' memory: what finish() returned before is overwritten by later adds. */
  clear(): void {
    this.n = 0;
  }

  finish(): BarColumns {
    const n = this.n;
    const c = this.cols;
    return new BarColumns(
      c[0].subarray(0, n),
      c[1].subarray(0, n),
      c[2].subarray(0, n),
      c[3].subarray(0, n),
      c[4].subarray(0, n),
      c[5].subarray(0, n),
    );
  }
}

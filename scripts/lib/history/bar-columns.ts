// Bars on their way into ohlc_bars, held column by column: one typed array per field and each row's
// series as an index. A million bars as objects cost an allocation each and keep the collector busy;
// as columns they are 56 bytes apiece, and the binary COPY encoder reads them without boxing.
import { type ContractBar, formatTimeframe, type TimeframeUnit } from '@barstream/core';

/** One contract/timeframe series of a write. */
export interface BarSeries {
  readonly contractId: string;
  readonly unit: TimeframeUnit;
  readonly value: number;
  /** formatTimeframe's label ('1m', '4h'), stored in ohlc_bars.timeframe. */
  readonly label: string;
}

const INITIAL_ROWS = 1 << 14;

export class BarColumns {
  readonly series: BarSeries[] = [];
  length = 0;
  seriesOf = new Int32Array(INITIAL_ROWS);
  /** The row's line in its file (0 when the bars did not come from a file). */
  line = new Int32Array(INITIAL_ROWS);
  time = new Float64Array(INITIAL_ROWS);
  open = new Float64Array(INITIAL_ROWS);
  high = new Float64Array(INITIAL_ROWS);
  low = new Float64Array(INITIAL_ROWS);
  close = new Float64Array(INITIAL_ROWS);
  volume = new Float64Array(INITIAL_ROWS);
  private readonly seriesIndex = new Map<string, number>();

  static fromBars(bars: readonly ContractBar[]): BarColumns {
    const cols = new BarColumns();
    let last: ContractBar | undefined;
    let s = -1;
    for (const b of bars) {
      if (!last || last.contractId !== b.contractId || last.unit !== b.unit || last.value !== b.value)
        s = cols.seriesId(b.contractId, b.unit, b.value);
      last = b;
      cols.push(s, 0, b.time, b.open, b.high, b.low, b.close, b.volume);
    }
    return cols;
  }

  /** The index of a series, added on first sight (so series keep the order they first appear in). */
  seriesId(contractId: string, unit: TimeframeUnit, value: number): number {
    const key = `${contractId}|${unit}|${value}`;
    let id = this.seriesIndex.get(key);
    if (id === undefined) {
      id = this.series.length;
      this.series.push({ contractId, unit, value, label: formatTimeframe({ unit, value }) });
      this.seriesIndex.set(key, id);
    }
    return id;
  }

  push(series: number, line: number, time: number, open: number, high: number, low: number, close: number, volume: number): void {
    const i = this.length;
    if (i === this.time.length) this.grow();
    this.seriesOf[i] = series;
    this.line[i] = line;
    this.time[i] = time;
    this.open[i] = open;
    this.high[i] = high;
    this.low[i] = low;
    this.close[i] = close;
    this.volume[i] = volume;
    this.length = i + 1;
  }

  /** Moves row `from` to `to` (to < from): how a filter closes the gaps it leaves. */
  move(from: number, to: number): void {
    this.seriesOf[to] = this.seriesOf[from] as number;
    this.line[to] = this.line[from] as number;
    this.time[to] = this.time[from] as number;
    this.open[to] = this.open[from] as number;
    this.high[to] = this.high[from] as number;
    this.low[to] = this.low[from] as number;
    this.close[to] = this.close[from] as number;
    this.volume[to] = this.volume[from] as number;
  }

  private grow(): void {
    const size = this.time.length * 2;
    const widen = <T extends Int32Array | Float64Array>(a: T, make: new (n: number) => T): T => {
      const b = new make(size);
      b.set(a);
      return b;
    };
    this.seriesOf = widen(this.seriesOf, Int32Array);
    this.line = widen(this.line, Int32Array);
    this.time = widen(this.time, Float64Array);
    this.open = widen(this.open, Float64Array);
    this.high = widen(this.high, Float64Array);
    this.low = widen(this.low, Float64Array);
    this.close = widen(this.close, Float64Array);
    this.volume = widen(this.volume, Float64Array);
  }
}

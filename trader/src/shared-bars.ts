// Bars packed into one SharedArrayBuffer (six float64 columns: time, open, high, low, close, volume), so
// a sweep's worker threads read the bars the parent read once, without a copy or a query per thread.
import type { OhlcBar } from '@barstream/core';

const COLUMNS = 6;

export function packBars(bars: readonly OhlcBar[]): SharedArrayBuffer {
  const n = bars.length;
  const buffer = new SharedArrayBuffer(n * COLUMNS * Float64Array.BYTES_PER_ELEMENT);
  const v = new Float64Array(buffer);
  for (let i = 0; i < n; i++) {
    const b = bars[i] as OhlcBar;
    v[i] = b.time;
    v[n + i] = b.open;
    v[2 * n + i] = b.high;
    v[3 * n + i] = b.low;
    v[4 * n + i] = b.close;
    v[5 * n + i] = b.volume;
  }
  return buffer;
}

export function unpackBars(buffer: SharedArrayBuffer): OhlcBar[] {
  const v = new Float64Array(buffer);
  const n = v.length / COLUMNS;
  const bars: OhlcBar[] = new Array<OhlcBar>(n);
  for (let i = 0; i < n; i++) {
    bars[i] = {
      time: v[i] as number,
      open: v[n + i] as number,
      high: v[2 * n + i] as number,
      low: v[3 * n + i] as number,
      close: v[4 * n + i] as number,
      volume: v[5 * n + i] as number,
    };
  }
  return bars;
}

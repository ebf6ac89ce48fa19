// The volume columns along the bottom of the candle pane: which candles are in view, how tall each
// column is (the tallest in view fills the band) and its colour. Pure: volume-primitive.ts draws them.
import { indexAtOrAfter, type Candle } from './candle-merge.ts';

/** Share of the pane's height the columns may take, from the bottom (the candles' price scale
 * leaves the bottom 22% to them: chart-theme.ts). */
export const VOLUME_BAND = 0.18;

export interface VolumeColumn {
  readonly time: number;
  /** Height as a share of the band: the largest volume in view is 1. */
  readonly share: number;
  readonly up: boolean;
}

/** Columns of the candles whose times lie in [from, to] (epoch seconds), `candles` ascending. */
export function volumeColumns(candles: readonly Candle[], from: number, to: number): VolumeColumn[] {
  const first = indexAtOrAfter(candles, from);
  let last = first;
  let max = 0;
  for (; last < candles.length; last++) {
    const c = candles[last] as Candle;
    if (c.time > to) break;
    if (c.volume > max) max = c.volume;
  }
  const columns: VolumeColumn[] = [];
  for (let i = first; i < last; i++) {
    const c = candles[i] as Candle;
    columns.push({ time: c.time, share: max > 0 ? Math.max(0, c.volume) / max : 0, up: c.close >= c.open });
  }
  return columns;
}

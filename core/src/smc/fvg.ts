// Fair value gaps (spec §2): three-bar gaps stored on the middle bar, optionally joined, with the first touch.
import { ColumnSearch } from './column-search.ts';
import type { SmcBars } from './smc-bars.ts';
import { nanColumns, type SmcColumns } from './smc-params.ts';

/** Direction of the gap centred on bar i (1 ≤ i ≤ n−2 with bar i+1 present): +1, −1 or 0. */
export function fvgAt(bars: SmcBars, i: number): number {
  const { open, high, low, close } = bars;
  if (high[i - 1]! < low[i + 1]! && close[i]! > open[i]!) return 1;
  if (low[i - 1]! > high[i + 1]! && close[i]! < open[i]!) return -1;
  return 0;
}

export function fvg(bars: SmcBars, joinConsecutive = false): SmcColumns<'fvg'> {
  const n = bars.length;
  const out = nanColumns('fvg', n);
  const { FVG, Top, Bottom, MitigatedIndex } = out;
  for (let i = 1; i <= n - 2; i++) {
    const dir = fvgAt(bars, i);
    if (dir === 0) continue;
    FVG[i] = dir;
    Top[i] = dir > 0 ? bars.low[i + 1]! : bars.low[i - 1]!;
    Bottom[i] = dir > 0 ? bars.high[i - 1]! : bars.high[i + 1]!;
  }
  if (joinConsecutive) {
    for (let i = 0; i <= n - 2; i++) {
      if (FVG[i] === FVG[i + 1] && !Number.isNaN(FVG[i]!)) {
        Top[i + 1] = Math.max(Top[i]!, Top[i + 1]!);
        Bottom[i + 1] = Math.min(Bottom[i]!, Bottom[i + 1]!);
        FVG[i] = Top[i] = Bottom[i] = NaN;
      }
    }
  }
  const lows = new ColumnSearch(bars.low, n);
  const highs = new ColumnSearch(bars.high, n);
  for (let i = 1; i <= n - 2; i++) {
    const dir = FVG[i]!;
    if (Number.isNaN(dir)) continue;
    const j = dir > 0 ? lows.firstBelow(i + 2, Top[i]!, false) : highs.firstAbove(i + 2, Bottom[i]!, false);
    MitigatedIndex[i] = j < 0 ? 0 : j;
  }
  return out;
}

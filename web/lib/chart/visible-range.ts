// Keeping the bars in sight when the chart's data is replaced, and deciding when to page back. Pure.
import { type Candle, indexAtOrAfter } from './candle-merge.ts';

export interface LogicalRange {
  readonly from: number;
  readonly to: number;
}

/** Bars left of the view below which the next older page is fetched. */
export const LOAD_OLDER_MARGIN_BARS = 30;

/**
 * The logical range that shows the same bars after `before` became `after` (setData re-indexes
 * every bar after an insertion). null: the view reaches the newest bar, so it should keep following
 * the live edge as lightweight-charts does by itself.
 */
export function preservedRange(before: readonly Candle[], after: readonly Candle[], range: LogicalRange | null): LogicalRange | null {
  if (range === null || before.length === 0) return null;
  if (range.to >= before.length - 1) return null;
  const anchor = Math.min(before.length - 1, Math.max(0, Math.floor(range.from)));
  const shift = indexAtOrAfter(after, (before[anchor] as Candle).time) - anchor;
  return { from: range.from + shift, to: range.to + shift };
}

export function wantsOlderBars(range: LogicalRange | null, barCount: number): boolean {
  return range !== null && barCount > 0 && range.from < LOAD_OLDER_MARGIN_BARS;
}

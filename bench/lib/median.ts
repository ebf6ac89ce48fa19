// The middle of a benchmark's repeated figures, and how far they spread: pairs of runs on a loaded
// machine swing by more than the differences they compare, so their medians and spreads print.
import { percentile } from './report.ts';

/** The middle value; of an even count, the mean of the two middles (not either one, which would
 * lean the figure towards one side of a pair); NaN when there is none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** 'min–max a–b, IQR c–d' of `values`. */
export function spread(values: readonly number[], digits: number): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number): string => percentile(sorted, p).toFixed(digits);
  return `min–max ${at(0)}–${at(100)}, IQR ${at(25)}–${at(75)}`;
}

// Places event times on a series' bars, so tolerances are counted in bars (a weekend or a session
// break is one bar step, not 60 hours).
/**
 * The index of the bar holding `time` in ascending `barTimes` (bucket starts): the last bar whose
 * start is at or before it; -1 when `time` is before the first bar or the series is empty.
 */
export function barIndexOf(barTimes: readonly number[], time: number): number {
  let lo = 0;
  let hi = barTimes.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((barTimes[mid] as number) <= time) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

// Swing highs and lows (spec §3): raw candidates over an asymmetric 2L-bar window, same-label runs collapsed
// to their earliest strongest member, artificial opposite swings on the first and last bar.
import type { SmcBars } from './smc-bars.ts';
import { nanColumns, type SmcColumns } from './smc-params.ts';

/**
 * Raw label of candidate bar p whose window p−L+1 … p+L lies inside the bars: +1, −1 or 0. "Equals the
 * window's maximum" is tested as "nothing in the window is higher", which stops at the first higher bar
 * (most bars are not candidates, so this costs a few comparisons on average).
 */
export function rawSwingLabel(bars: SmcBars, p: number, swingLength: number): number {
  const { high, low } = bars;
  const from = p - swingLength + 1;
  const to = p + swingLength;
  const h = high[p]!;
  let j = from;
  while (j <= to && high[j]! <= h) j++;
  if (j > to) return 1;
  const l = low[p]!;
  j = from;
  while (j <= to && low[j]! >= l) j++;
  return j > to ? -1 : 0;
}

/** True if candidate `p` beats the run's current member `best` (strictly: ties keep the earlier bar). */
export function strongerSwing(bars: SmcBars, label: number, p: number, best: number): boolean {
  return label > 0 ? bars.high[p]! > bars.high[best]! : bars.low[p]! < bars.low[best]!;
}

export function swingHighsLows(bars: SmcBars, swingLength: number): SmcColumns<'swing_highs_lows'> {
  const n = bars.length;
  const L = swingLength;
  const out = nanColumns('swing_highs_lows', n);
  const { HighLow, Level } = out;
  const { high, low } = bars;
  let runLabel = 0,
    best = -1,
    first = 0,
    last = 0;
  const keep = (p: number, label: number): void => {
    HighLow[p] = label;
    Level[p] = label > 0 ? high[p]! : low[p]!;
    if (first === 0) first = label;
    last = label;
  };
  for (let p = 2 * L - 1; p <= n - 1 - L; p++) {
    const label = rawSwingLabel(bars, p, L);
    if (label === 0) continue;
    if (label === runLabel) {
      if (strongerSwing(bars, label, p, best)) best = p;
    } else {
      if (runLabel !== 0) keep(best, runLabel);
      runLabel = label;
      best = p;
    }
  }
  if (runLabel !== 0) keep(best, runLabel);
  if (first !== 0) {
    HighLow[0] = -first;
    Level[0] = first < 0 ? high[0]! : low[0]!;
    HighLow[n - 1] = -last;
    Level[n - 1] = last < 0 ? high[n - 1]! : low[n - 1]!;
  }
  return out;
}

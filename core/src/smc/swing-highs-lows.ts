// Swing highs and lows (spec §3): raw candidates over an asymmetric 2L-bar window, same-label runs collapsed
// to their earliest strongest member, artificial opposite swings on the first and last bar.
import type { SmcBars } from './smc-bars.ts';
import { nanColumns, type SmcColumns } from './smc-params.ts';

/** Raw label of candidate bar p whose window p−L+1 … p+L lies inside the bars: +1, −1 or 0. */
export function rawSwingLabel(bars: SmcBars, p: number, swingLength: number): number {
  const { high, low } = bars;
  let max = -Infinity;
  let min = Infinity;
  for (let j = p - swingLength + 1; j <= p + swingLength; j++) {
    if (high[j]! > max) max = high[j]!;
    if (low[j]! < min) min = low[j]!;
  }
  if (high[p] === max) return 1;
  if (low[p] === min) return -1;
  return 0;
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
  // Monotonic deques of window positions: front = the window's max high / min low.
  const maxQ = new Int32Array(2 * L + 1);
  const minQ = new Int32Array(2 * L + 1);
  const size = maxQ.length;
  let maxHead = 0, maxLen = 0, minHead = 0, minLen = 0;
  let added = L; // the first window starts at bar L
  let runLabel = 0, best = -1, first = 0, last = 0;
  const keep = (p: number, label: number): void => {
    HighLow[p] = label;
    Level[p] = label > 0 ? high[p]! : low[p]!;
    if (first === 0) first = label;
    last = label;
  };
  for (let p = 2 * L - 1; p <= n - 1 - L; p++) {
    for (; added <= p + L; added++) {
      const h = high[added]!;
      while (maxLen > 0 && high[maxQ[(maxHead + maxLen - 1) % size]!]! <= h) maxLen--;
      maxQ[(maxHead + maxLen++) % size] = added;
      const l = low[added]!;
      while (minLen > 0 && low[minQ[(minHead + minLen - 1) % size]!]! >= l) minLen--;
      minQ[(minHead + minLen++) % size] = added;
    }
    const start = p - L + 1;
    while (maxQ[maxHead]! < start) { maxHead = (maxHead + 1) % size; maxLen--; }
    while (minQ[minHead]! < start) { minHead = (minHead + 1) % size; minLen--; }
    const label = high[p] === high[maxQ[maxHead]!] ? 1 : low[p] === low[minQ[minHead]!] ? -1 : 0;
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

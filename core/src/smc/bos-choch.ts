// Break of structure / change of character (spec §4), batch: candidates from four consecutive swings,
// their first break, and the survivors written on the broken swing's row.
import { bosChochCandidate, deletedByLater, type BosChochCandidate } from './bos-choch-candidates.ts';
import { ColumnSearch } from './column-search.ts';
import type { SmcBars } from './smc-bars.ts';
import { nanColumns, type SmcColumns } from './smc-params.ts';

/** The break bar of `cand` (first j ≥ row+2 beyond its level, by close or by wick), or −1. */
export function findBreak(
  cand: BosChochCandidate,
  closes: ColumnSearch,
  highs: ColumnSearch,
  lows: ColumnSearch,
  closeBreak: boolean,
): number {
  const from = cand.row + 2;
  return cand.sign > 0
    ? (closeBreak ? closes : highs).firstAbove(from, cand.level, true)
    : (closeBreak ? closes : lows).firstBelow(from, cand.level, true);
}

export function bosChoch(bars: SmcBars, swings: SmcColumns<'swing_highs_lows'>, closeBreak = true): SmcColumns<'bos_choch'> {
  const n = bars.length;
  const out = nanColumns('bos_choch', n);
  const { HighLow, Level: SwingLevel } = swings;
  const pos: number[] = [];
  for (let i = 0; i < n; i++) if (!Number.isNaN(HighLow[i]!)) pos.push(i);
  const label = (k: number): number => HighLow[pos[k]!]!;
  const level = (k: number): number => SwingLevel[pos[k]!]!;
  const cands: BosChochCandidate[] = [];
  for (let k = 3; k < pos.length; k++) {
    const c = bosChochCandidate(
      pos[k - 2]!,
      label(k - 3),
      label(k - 2),
      label(k - 1),
      label(k),
      level(k - 3),
      level(k - 2),
      level(k - 1),
      level(k),
    );
    if (c) cands.push(c);
  }
  const closes = new ColumnSearch(bars.close, n);
  const highs = closeBreak ? closes : new ColumnSearch(bars.high, n);
  const lows = closeBreak ? closes : new ColumnSearch(bars.low, n);
  for (const c of cands) c.broken = findBreak(c, closes, highs, lows, closeBreak);
  writeBosChochRows(cands, out);
  return out;
}

/** Writes the rows of `cands` into `out` (rows NaN before): BrokenIndex for broken ones, the signal for survivors. */
function writeBosChochRows(cands: readonly BosChochCandidate[], out: SmcColumns<'bos_choch'>): void {
  for (let k = 0; k < cands.length; k++) {
    const c = cands[k]!;
    if (c.broken < 0) continue;
    out.BrokenIndex[c.row] = c.broken;
    if (deletedByLater(cands, k)) continue;
    (c.choch ? out.CHOCH : out.BOS)[c.row] = c.sign;
    out.Level[c.row] = c.level;
  }
}

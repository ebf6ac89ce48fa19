// Liquidity (spec §6): swing highs (lows) within a tolerance of an anchor swing, grouped until price sweeps
// beyond the band; the tolerance is a fraction of the whole data's range, so it depends on every bar.
import { ColumnSearch } from './column-search.ts';
import { MaxTree } from './max-tree.ts';
import type { SmcBars } from './smc-bars.ts';
import { nanColumns, type SmcColumns } from './smc-params.ts';

/** One liquidity row: anchor swing `row`, direction, and the library's float32 Level, End, Swept. */
export interface LiquidityRow {
  readonly row: number;
  readonly dir: number;
  readonly level: number;
  readonly end: number;
  readonly swept: number;
}

/** Swings as parallel position/label/level lists in position order (artificial end points included). */
export interface SwingList {
  readonly positions: readonly number[];
  readonly labels: readonly number[];
  readonly levels: readonly number[];
}

/**
 * The sweep of the group anchored at `row` (entry `index` of its direction's list): the first bar after it
 * whose high reaches `band` (dir +1) or whose low reaches it (dir −1), or 0 if none.
 */
export type SweepFinder = (dir: number, row: number, band: number, index: number) => number;

/**
 * Appends to `out` the liquidity rows of one direction: `positions`/`levels` are the swings of label `dir`
 * in position order. `scratch` lends its buffer to callers that run this on every bar.
 */
export function liquidityGroups(
  dir: number,
  positions: readonly number[],
  levels: readonly number[],
  tol: number,
  sweep: SweepFinder,
  out: LiquidityRow[],
  scratch = new MaxTree(),
): void {
  const P = positions;
  const V = levels;
  const used = new Uint8Array(P.length);
  // Unused later swings on the anchor's side of the band edge, found without walking the others: highs
  // need level ≥ lo (tree of levels), lows need level ≤ hi (tree of negated levels). Taken members are removed.
  const tree = scratch.reset(V, dir < 0);
  for (let a = 0; a < P.length; a++) {
    if (used[a]) continue;
    const i = P[a]!;
    const v = V[a]!;
    const lo = v - tol;
    const hi = v + tol;
    const swept = sweep(dir, i, dir > 0 ? hi : lo, a);
    let sum = v;
    let count = 0;
    let last = -1;
    // Most groups are swept within a few swings: walk those directly; the tree takes over for long ranges.
    // Members are taken in position order either way (the level is their sum in that order).
    let b = a + 1;
    const walkEnd = Math.min(P.length, b + LINEAR_WALK);
    for (; b < walkEnd && (swept === 0 || P[b]! < swept); b++) {
      if (used[b] || !(lo <= V[b]! && V[b]! <= hi)) continue;
      used[b] = 1;
      tree.remove(b);
      sum += V[b]!;
      count++;
      last = P[b]!;
    }
    if (b === walkEnd && b < P.length) {
      for (b = tree.nextAtLeast(b, dir > 0 ? lo : -hi); b >= 0; b = tree.nextAtLeast(b + 1, dir > 0 ? lo : -hi)) {
        if (swept !== 0 && P[b]! >= swept) break;
        if (!(lo <= V[b]! && V[b]! <= hi)) continue;
        used[b] = 1;
        tree.remove(b);
        sum += V[b]!;
        count++;
        last = P[b]!;
      }
    }
    if (count > 0) out.push({ row: i, dir, level: Math.fround(sum / (1 + count)), end: Math.fround(last), swept: Math.fround(swept) });
  }
}

/** Swings walked one by one after an anchor before the search switches to the tree. */
const LINEAR_WALK = 16;

/** The liquidity rows (bullish then bearish) for swings over bars 0 … highs.length−1 with tolerance `tol`. */
export function liquidityRows(swings: SwingList, tol: number, highs: ColumnSearch, lows: ColumnSearch): LiquidityRow[] {
  const rows: LiquidityRow[] = [];
  const sweep: SweepFinder = (dir, row, band) => {
    const j = dir > 0 ? highs.firstAbove(row + 1, band, false) : lows.firstBelow(row + 1, band, false);
    return j < 0 ? 0 : j;
  };
  for (const dir of [1, -1]) {
    const P: number[] = [];
    const V: number[] = [];
    for (let k = 0; k < swings.positions.length; k++) {
      if (swings.labels[k] === dir) {
        P.push(swings.positions[k]!);
        V.push(swings.levels[k]!);
      }
    }
    liquidityGroups(dir, P, V, tol, sweep, rows);
  }
  return rows;
}

/** The swing list of a `swing_highs_lows` result. */
export function swingList(swings: SmcColumns<'swing_highs_lows'>, n: number): SwingList {
  const positions: number[] = [];
  const labels: number[] = [];
  const levels: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = swings.HighLow[i]!;
    if (Number.isNaN(label)) continue;
    positions.push(i);
    labels.push(label);
    levels.push(swings.Level[i]!);
  }
  return { positions, labels, levels };
}

/** range_percent × (highest high − lowest low) over bars 0 … n−1. */
export function liquidityTolerance(bars: SmcBars, rangePercent: number): number {
  let max = -Infinity;
  let min = Infinity;
  for (let i = 0; i < bars.length; i++) {
    if (bars.high[i]! > max) max = bars.high[i]!;
    if (bars.low[i]! < min) min = bars.low[i]!;
  }
  return (max - min) * rangePercent;
}

export function liquidity(bars: SmcBars, swings: SmcColumns<'swing_highs_lows'>, rangePercent = 0.01): SmcColumns<'liquidity'> {
  const n = bars.length;
  const out = nanColumns('liquidity', n);
  const rows = liquidityRows(
    swingList(swings, n),
    liquidityTolerance(bars, rangePercent),
    new ColumnSearch(bars.high, n),
    new ColumnSearch(bars.low, n),
  );
  for (const r of rows) {
    out.Liquidity[r.row] = r.dir;
    out.Level[r.row] = r.level;
    out.End[r.row] = r.end;
    out.Swept[r.row] = r.swept;
  }
  return out;
}

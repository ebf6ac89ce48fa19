// Live liquidity (spec §7.4): regrouped from bar 0 at every bar, because its tolerance is a fraction of the
// range of all bars so far; all rows are provisional (nothing is final before the data ends). What carries
// over between bars: the swing lists (settled part append-only) and each anchor's sweep search — the range
// only grows, so a band only widens and its sweep can only move later; the search resumes where it stopped.
import { liquidityGroups, type LiquidityRow, type SweepFinder } from './liquidity.ts';
import { MaxTree } from './max-tree.ts';
import { PublishedRows, type SmcRowChange } from './published-rows.ts';
import type { SmcBars } from './smc-bars.ts';
import type { SwingLive } from './swing-live.ts';

interface SweepSearch {
  /** The tolerance it was searched with, the next bar to test, the sweep bar found (0: none yet). */
  tol: number;
  next: number;
  swept: number;
}

interface SwingsOfLabel {
  readonly dir: number;
  readonly positions: number[];
  readonly levels: number[];
  /** How many entries are settled swings (the rest is this bar's provisional tail). */
  settled: number;
  /** The sweep searches of the settled entries, by index (provisional ones live in a map by row). */
  readonly searches: SweepSearch[];
}

export class LiquidityLive {
  readonly rows = new PublishedRows('liquidity');
  private maxHigh = -Infinity;
  private minLow = Infinity;
  /** Sweep searches of provisional swings (the open run's member, the end label), by sweepKey. */
  private readonly sweeps = new Map<number, SweepSearch>();
  private readonly lists: readonly SwingsOfLabel[] = [1, -1].map((dir) => ({ dir, positions: [], levels: [], settled: 0, searches: [] }));
  private settledSeen = 0;
  private readonly scratch = new MaxTree();
  /** Sweep keys of last bar's provisional swings (the open run's member, the end label). */
  private provisionalKeys: number[] = [];
  private shown = new Map<number, LiquidityRow>();

  constructor(private readonly rangePercent: number) {}

  /** Takes bar t into the range without regrouping (SmcLiveEngine.warm: the next update() regroups). */
  observe(bars: SmcBars, t: number): void {
    this.maxHigh = Math.max(this.maxHigh, bars.high[t]!);
    this.minLow = Math.min(this.minLow, bars.low[t]!);
  }

  update(bars: SmcBars, t: number, swings: SwingLive, out: SmcRowChange[]): void {
    this.observe(bars, t);
    const tol = (this.maxHigh - this.minLow) * this.rangePercent;
    this.updateLists(swings);
    const sweep: SweepFinder = (dir, row, band, index) => this.sweep(bars, t, tol, dir, row, band, index);
    const rows: LiquidityRow[] = [];
    for (const list of this.lists) liquidityGroups(list.dir, list.positions, list.levels, tol, sweep, rows, this.scratch);
    const next = new Map<number, LiquidityRow>();
    for (const r of rows) {
      next.set(r.row, r);
      const prev = this.shown.get(r.row);
      if (!prev || prev.dir !== r.dir || prev.level !== r.level || prev.end !== r.end || prev.swept !== r.swept) {
        this.rows.stage(r.row, [r.dir, r.level, r.end, r.swept], false);
      }
    }
    for (const row of this.shown.keys()) if (!next.has(row)) this.rows.stage(row, undefined, false);
    this.shown = next;
    this.rows.flush(out);
  }

  private updateLists(swings: SwingLive): void {
    const { settled, highLow, level } = swings;
    for (const list of this.lists) {
      list.positions.length = list.settled;
      list.levels.length = list.settled;
    }
    const push = (p: number, isSettled: boolean): void => {
      const list = this.lists[highLow[p]! > 0 ? 0 : 1]!;
      list.positions.push(p);
      list.levels.push(level[p]!);
      if (!isSettled) return;
      list.settled++;
      const key = sweepKey(list.dir, p);
      list.searches.push(this.sweeps.get(key) ?? { tol: 0, next: p + 1, swept: 0 });
      this.sweeps.delete(key);
    };
    for (; this.settledSeen < settled.length; this.settledSeen++) push(settled[this.settledSeen]!, true);
    // Forget the sweep searches of provisional swings that are gone (the newest bar's end label moves every
    // bar: kept, they would grow the map by one entry per bar).
    for (const key of this.provisionalKeys) {
      const row = key >> 1;
      if (highLow[row] !== ((key & 1) === 0 ? 1 : -1)) this.sweeps.delete(key);
    }
    this.provisionalKeys = [];
    if (swings.runLabel !== 0) {
      push(swings.member, false);
      push(swings.endRow, false);
      this.provisionalKeys = [sweepKey(highLow[swings.member]!, swings.member), sweepKey(highLow[swings.endRow]!, swings.endRow)];
    }
  }

  private sweep(bars: SmcBars, t: number, tol: number, dir: number, row: number, band: number, index: number): number {
    const list = this.lists[dir > 0 ? 0 : 1]!;
    let s = index < list.settled ? list.searches[index] : this.sweeps.get(sweepKey(dir, row));
    if (!s) {
      s = { tol, next: row + 1, swept: 0 };
      this.sweeps.set(sweepKey(dir, row), s);
    } else if (s.tol !== tol) {
      // A wider band: bars before the old sweep stayed inside the old band, hence inside the new one.
      if (s.swept !== 0) s.next = s.swept;
      s.swept = 0;
      s.tol = tol;
    }
    if (s.swept === 0) {
      const x = dir > 0 ? bars.high : bars.low;
      let j = s.next;
      for (; j <= t; j++) {
        if (dir > 0 ? x[j]! >= band : x[j]! <= band) {
          s.swept = j;
          break;
        }
      }
      s.next = s.swept === 0 ? t + 1 : j;
    }
    return s.swept;
  }
}

/** One search per swing row and label: bit 0 is the label (0: high, 1: low). */
function sweepKey(dir: number, row: number): number {
  return dir > 0 ? 2 * row : 2 * row + 1;
}

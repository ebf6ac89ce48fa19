// Live BOS/CHOCH (spec §7.4): candidates on settled swings are fixed and only wait for their break and for
// their possible deleters to settle; the (at most two) candidates resting on the open run's member or the
// newest bar's end label are re-evaluated every bar. Break bars are cached per swing row.
import { bosChochCandidate, type BosChochCandidate } from './bos-choch-candidates.ts';
import { PublishedRows, type SmcRowChange } from './published-rows.ts';
import type { SmcBars } from './smc-bars.ts';
import type { SwingLive } from './swing-live.ts';

export class BosChochLive {
  readonly rows = new PublishedRows('bos_choch');
  /** Candidates on four settled swings, in row order (append only). */
  private readonly settled: BosChochCandidate[] = [];
  /** Indices into `settled` of candidates whose row may still change. */
  private pending: number[] = [];
  /** Settled swings already turned into candidates. */
  private swingsSeen = 0;
  /** Per swing row: the next bar to test for its break, or the break found. */
  private readonly breaks = new Map<number, { next: number; broken: number }>();
  private provisionalRows: number[] = [];

  constructor(private readonly closeBreak: boolean) {}

  update(bars: SmcBars, t: number, swings: SwingLive, out: SmcRowChange[]): void {
    const S = swings.settled;
    const { highLow, level } = swings;
    const candidateAt = (k: number, pos: (k: number) => number): BosChochCandidate | undefined => {
      const [p0, p1, p2, p3] = [pos(k - 3), pos(k - 2), pos(k - 1), pos(k)];
      return bosChochCandidate(p1, highLow[p0]!, highLow[p1]!, highLow[p2]!, highLow[p3]!, level[p0]!, level[p1]!, level[p2]!, level[p3]!);
    };
    for (let k = Math.max(3, this.swingsSeen); k < S.length; k++) {
      const c = candidateAt(k, (j) => S[j]!);
      if (c) {
        this.pending.push(this.settled.length);
        this.settled.push(c);
      }
    }
    this.swingsSeen = Math.max(this.swingsSeen, S.length);
    // Candidates resting on a provisional swing: swing k = s (open run's member) and k = s + 1 (end label).
    const provisional: BosChochCandidate[] = [];
    if (swings.runLabel !== 0) {
      const all = (j: number): number => (j < S.length ? S[j]! : j === S.length ? swings.member : swings.endRow);
      for (let k = Math.max(3, S.length); k <= S.length + 1; k++) {
        const c = candidateAt(k, all);
        if (c) provisional.push(c);
      }
    }
    for (const k of this.pending) this.findBreak(bars, t, this.settled[k]!);
    for (const c of provisional) this.findBreak(bars, t, c);

    for (const row of this.provisionalRows) this.rows.stage(row, undefined, false);
    this.provisionalRows = provisional.map((c) => c.row);
    // A candidate's deleters sit at rows ≤ break−2; any not yet settled sits at or after this row.
    const unsettledFrom = S.length >= 2 ? S[S.length - 2]! : 0;
    const stillPending: number[] = [];
    for (const k of this.pending) {
      const c = this.settled[k]!;
      const deleted = c.broken >= 0 && (deletedFrom(this.settled, k + 1, c) || deletedFrom(provisional, 0, c));
      const final = c.broken >= 0 && c.broken - 2 < unsettledFrom && S.length >= 2;
      this.rows.stage(c.row, rowValues(c, deleted), final);
      if (!final) stillPending.push(k);
    }
    this.pending = stillPending;
    provisional.forEach((c, k) => {
      const deleted = c.broken >= 0 && deletedFrom(provisional, k + 1, c);
      this.rows.stage(c.row, rowValues(c, deleted), false);
    });
    this.rows.flush(out);
  }

  private findBreak(bars: SmcBars, t: number, c: BosChochCandidate): void {
    let state = this.breaks.get(c.row);
    if (!state) {
      state = { next: c.row + 2, broken: -1 };
      this.breaks.set(c.row, state);
    }
    if (state.broken < 0) {
      const x = this.closeBreak ? bars.close : c.sign > 0 ? bars.high : bars.low;
      for (let j = state.next; j <= t; j++) {
        if (c.sign > 0 ? x[j]! > c.level : x[j]! < c.level) {
          state.broken = j;
          break;
        }
      }
      state.next = t + 1;
    }
    c.broken = state.broken;
  }
}

/** Whether a candidate of `list[from…]` (rows after c's, in order) at a row ≤ c.broken−2 broke at or before c.broken. */
function deletedFrom(list: readonly BosChochCandidate[], from: number, c: BosChochCandidate): boolean {
  for (let q = from; q < list.length; q++) {
    const other = list[q]!;
    if (other.row > c.broken - 2) return false;
    if (other.broken >= 0 && other.broken <= c.broken) return true;
  }
  return false;
}

function rowValues(c: BosChochCandidate, deleted: boolean): number[] | undefined {
  if (c.broken < 0) return undefined;
  if (deleted) return [NaN, NaN, NaN, c.broken];
  return [c.choch ? NaN : c.sign, c.choch ? c.sign : NaN, c.level, c.broken];
}

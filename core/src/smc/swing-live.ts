// Live swing highs/lows (spec §7.2/§7.4): candidate p = t−L is decided at bar t; the open run shows its
// strongest member (provisional), the newest bar carries the artificial end label for one bar.
import { PublishedRows, type SmcRowChange } from './published-rows.ts';
import type { SmcBars } from './smc-bars.ts';
import { rawSwingLabel, strongerSwing } from './swing-highs-lows.ts';

export class SwingLive {
  readonly rows = new PublishedRows('swing_highs_lows');
  /** B_t's HighLow and Level columns (NaN where empty); valid up to the newest bar. */
  highLow: Float64Array = new Float64Array(1024).fill(NaN);
  level: Float64Array = new Float64Array(1024).fill(NaN);
  /** Final swings in position order (row 0 first once any candidate exists): everything before the frontier. */
  readonly settled: number[] = [];
  /** Label of the open run (0: no candidate yet), its shown member and its first candidate. */
  runLabel = 0;
  member = -1;
  private runFirst = -1;
  /** The bar carrying the artificial end label (−1: none). */
  endRow = -1;
  private t = -1;

  constructor(private readonly swingLength: number) {}

  /** F_t: swings before it are final. */
  get frontier(): number {
    return this.runLabel === 0 ? 0 : Math.min(this.runFirst, this.t - this.swingLength + 1);
  }

  update(bars: SmcBars, t: number, out: SmcRowChange[]): void {
    this.t = t;
    this.ensure(t + 1);
    const L = this.swingLength;
    if (this.endRow >= 0) {
      this.set(this.endRow, NaN, bars, false);
      this.endRow = -1;
    }
    const p = t - L;
    const label = p >= 2 * L - 1 ? rawSwingLabel(bars, p, L) : 0;
    if (label !== 0) {
      if (this.runLabel === 0) {
        this.set(0, -label, bars, true);
        this.settled.push(0);
        this.startRun(p, label, bars);
      } else if (label === this.runLabel) {
        if (strongerSwing(bars, label, p, this.member)) {
          this.set(this.member, NaN, bars, true); // withdrawn: never comes back
          this.member = p;
          this.set(p, label, bars, false);
        }
      } else {
        this.set(this.member, this.runLabel, bars, true);
        this.settled.push(this.member);
        this.startRun(p, label, bars);
      }
    }
    if (this.runLabel !== 0) {
      this.endRow = t;
      this.set(t, -this.runLabel, bars, false);
    }
    this.rows.flush(out);
  }

  private startRun(p: number, label: number, bars: SmcBars): void {
    this.runLabel = label;
    this.member = p;
    this.runFirst = p;
    this.set(p, label, bars, false);
  }

  private set(row: number, label: number, bars: SmcBars, confirmed: boolean): void {
    this.highLow[row] = label;
    this.level[row] = label > 0 ? bars.high[row]! : label < 0 ? bars.low[row]! : NaN;
    this.rows.stage(row, Number.isNaN(label) ? undefined : [label, this.level[row]], confirmed);
  }

  private ensure(n: number): void {
    if (n <= this.highLow.length) return;
    const grow = (a: Float64Array): Float64Array => {
      const b = new Float64Array(a.length * 2).fill(NaN);
      b.set(a);
      return b;
    };
    this.highLow = grow(this.highLow);
    this.level = grow(this.level);
  }
}

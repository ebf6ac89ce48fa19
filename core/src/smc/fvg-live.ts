// Live fair value gaps (spec §7.4): the gap on row t−1 appears at bar t; with joining it stays provisional one
// more bar; an unmitigated gap is provisional until the bar that touches it, which confirms it.
import { fvgAt } from './fvg.ts';
import { KeyedHeap } from './keyed-heap.ts';
import { PublishedRows, type SmcRowChange } from './published-rows.ts';
import type { SmcBars } from './smc-bars.ts';

interface Gap {
  row: number;
  dir: number;
  top: number;
  bottom: number;
}

export class FvgLive {
  readonly rows = new PublishedRows('fvg');
  /** Unmitigated bullish gaps by −Top and bearish gaps by Bottom: the ones bar t touches come first. */
  private readonly bullish = new KeyedHeap<Gap>();
  private readonly bearish = new KeyedHeap<Gap>();
  /** With joining: the gap on row t−1, which the next bar may still fold into its own. */
  private tail: Gap | undefined;

  constructor(private readonly joinConsecutive: boolean) {}

  update(bars: SmcBars, t: number, out: SmcRowChange[]): void {
    const gap = t >= 2 ? this.detect(bars, t - 1) : undefined;
    const tail = this.tail;
    this.tail = undefined;
    if (tail && gap && tail.dir === gap.dir) {
      gap.top = Math.max(tail.top, gap.top);
      gap.bottom = Math.min(tail.bottom, gap.bottom);
      this.rows.stage(tail.row, undefined, true);
    } else if (tail) {
      this.track(tail);
    }
    // Mitigation of gaps on rows ≤ t−2 (the search starts two bars after the gap's row).
    while (this.bullish.peekKey() <= -bars.low[t]!) this.mitigate(this.bullish.pop(), t);
    while (this.bearish.peekKey() <= bars.high[t]!) this.mitigate(this.bearish.pop(), t);
    if (gap) {
      if (this.joinConsecutive) this.tail = gap;
      else this.track(gap);
      this.rows.stage(gap.row, [gap.dir, gap.top, gap.bottom, 0], false);
    }
    this.rows.flush(out);
  }

  private detect(bars: SmcBars, i: number): Gap | undefined {
    const dir = fvgAt(bars, i);
    if (dir === 0) return undefined;
    return dir > 0
      ? { row: i, dir, top: bars.low[i + 1]!, bottom: bars.high[i - 1]! }
      : { row: i, dir, top: bars.low[i - 1]!, bottom: bars.high[i + 1]! };
  }

  private track(gap: Gap): void {
    if (gap.dir > 0) this.bullish.push(gap, -gap.top);
    else this.bearish.push(gap, gap.bottom);
  }

  private mitigate(gap: Gap, t: number): void {
    this.rows.stage(gap.row, [gap.dir, gap.top, gap.bottom, t], true);
  }
}

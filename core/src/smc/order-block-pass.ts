// One direction's pass of the order-block study (spec §5.1/§5.2), one bar per step, shared by batch and live.
import { OrderBlockHeap, type OrderBlock } from './order-block-heap.ts';
import type { SmcBars } from './smc-bars.ts';

/** What the bullish pass left on a row, seen by a bearish block created there (spec §5.4). */
export type InheritedState = (row: number) => { breaker: boolean; mitigated: number } | undefined;

export class OrderBlockPass {
  /** Unmitigated tracked blocks, keyed so that the ones bar i mitigates come first. */
  private mitigation = new OrderBlockHeap();
  /** Mitigated ("breaker") tracked blocks, keyed so that the ones bar i erases come first. */
  private erasing = new OrderBlockHeap();
  /** The last swing of this pass's label before the current bar, and whether a close crossed it. */
  private lastSwing = -1;
  private crossed = false;

  constructor(readonly dir: 1 | -1, private readonly closeMitigation: boolean) {}

  clone(): OrderBlockPass {
    const copy = new OrderBlockPass(this.dir, this.closeMitigation);
    copy.mitigation = this.mitigation.clone();
    copy.erasing = this.erasing.clone();
    copy.lastSwing = this.lastSwing;
    copy.crossed = this.crossed;
    return copy;
  }

  /** Blocks still shown (created, not erased). */
  *tracked(): Generator<OrderBlock> {
    yield* this.mitigation.all();
    yield* this.erasing.all();
  }

  /**
   * Processes bar i (bars must be stepped 0, 1, 2, … without gaps). `prevLabel` is the swing label of bar i−1
   * (NaN for none). Erased blocks go to `onErase`; returns the block created at this bar, if any.
   */
  step(bars: SmcBars, i: number, prevLabel: number, onErase?: (b: OrderBlock) => void, inherit?: InheritedState): OrderBlock | undefined {
    const { open, high, low, close } = bars;
    const { mitigation, erasing } = this;
    if (this.dir > 0) {
      while (erasing.peekKey() < high[i]!) erase(erasing.pop(), onErase);
      const v = this.closeMitigation ? Math.min(open[i]!, close[i]!) : low[i]!;
      while (mitigation.peekKey() < -v) {
        const b = mitigation.pop();
        b.breaker = true;
        b.mitigated = i - 1;
        erasing.push(b, b.top);
      }
    } else {
      while (erasing.peekKey() < -low[i]!) erase(erasing.pop(), onErase);
      const v = this.closeMitigation ? Math.max(open[i]!, close[i]!) : high[i]!;
      while (mitigation.peekKey() < v) {
        const b = mitigation.pop();
        b.breaker = true;
        b.mitigated = i;
        erasing.push(b, -b.bottom);
      }
    }
    if (prevLabel === this.dir) {
      this.lastSwing = i - 1;
      this.crossed = false;
    }
    const s = this.lastSwing;
    if (s < 0 || this.crossed || !(this.dir > 0 ? close[i]! > high[s]! : close[i]! < low[s]!)) return undefined;
    this.crossed = true;
    const block = this.create(bars, i, s, inherit);
    if (block.breaker) erasing.push(block, this.dir > 0 ? block.top : -block.bottom);
    else mitigation.push(block, this.dir > 0 ? -block.bottom : block.top);
    return block;
  }

  private create(bars: SmcBars, i: number, s: number, inherit?: InheritedState): OrderBlock {
    const { high, low, volume } = bars;
    const bull = this.dir > 0;
    let x = i - 1;
    let top: number;
    let bottom: number;
    if (i - s >= 2) {
      for (let j = s + 1; j <= i - 1; j++) {
        if (bull ? low[j]! <= low[x]! : high[j]! >= high[x]!) x = j;
      }
      top = Math.fround(high[x]!);
      bottom = Math.fround(low[x]!);
    } else if (bull) {
      // The library swaps the edges here (quirk 8: only reachable from the artificial swing on bar 0).
      top = Math.fround(low[x]!);
      bottom = Math.fround(high[x]!);
    } else {
      top = Math.fround(high[x]!);
      bottom = Math.fround(low[x]!);
    }
    const v = (k: number): number => (k < 0 ? 0 : volume[k]!);
    const recent = Math.fround(v(i) + v(i - 1));
    const older = Math.fround(v(i - 2));
    const most = Math.max(recent, older);
    const percentage = most === 0 ? 100 : Math.fround(Math.fround(Math.min(recent, older) / most) * 100);
    const inherited = inherit?.(x);
    return {
      row: x,
      dir: this.dir,
      top,
      bottom,
      volume: Math.fround(v(i) + v(i - 1) + v(i - 2)),
      percentage,
      mitigated: inherited?.mitigated ?? 0,
      breaker: inherited?.breaker ?? false,
      erased: false,
    };
  }
}

function erase(b: OrderBlock, onErase?: (b: OrderBlock) => void): void {
  b.erased = true;
  b.mitigated = 0;
  onErase?.(b);
}

// One direction's pass of the order-block study (spec §5.1/§5.2), split in its two halves: the creator (b),
// which depends on the swings, and the tracker (a), which mitigates and erases blocks from the bars alone.
import { KeyedHeap } from './keyed-heap.ts';
import type { SmcBars } from './smc-bars.ts';

/** One order block's state (spec §5); values are the library's float32 numbers. */
export interface OrderBlock {
  readonly row: number;
  readonly dir: number;
  readonly top: number;
  readonly bottom: number;
  readonly volume: number;
  readonly percentage: number;
  mitigated: number;
  breaker: boolean;
  erased: boolean;
}

/** What the bullish pass left on a row, seen by a bearish block created there (spec §5.4). */
export type InheritedState = (row: number) => { breaker: boolean; mitigated: number } | undefined;

/** (b): creates a block when a close crosses the last swing of the pass's label for the first time. */
export class OrderBlockCreator {
  /** The last swing of this pass's label before the current bar, and whether a close crossed it. */
  private lastSwing = -1;
  private crossed = false;

  constructor(readonly dir: 1 | -1) {}

  clone(): OrderBlockCreator {
    const copy = new OrderBlockCreator(this.dir);
    copy.lastSwing = this.lastSwing;
    copy.crossed = this.crossed;
    return copy;
  }

  /** Bar i (stepped 0, 1, 2, … without gaps); `prevLabel` is the swing label of bar i−1 (NaN: none). */
  step(bars: SmcBars, i: number, prevLabel: number, inherit?: InheritedState): OrderBlock | undefined {
    if (prevLabel === this.dir) {
      this.lastSwing = i - 1;
      this.crossed = false;
    }
    const s = this.lastSwing;
    const close = bars.close[i]!;
    if (s < 0 || this.crossed || !(this.dir > 0 ? close > bars.high[s]! : close < bars.low[s]!)) return undefined;
    this.crossed = true;
    return createBlock(bars, this.dir, i, s, inherit);
  }
}

function createBlock(bars: SmcBars, dir: number, i: number, s: number, inherit?: InheritedState): OrderBlock {
  const { high, low, volume } = bars;
  const bull = dir > 0;
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
    dir,
    top,
    bottom,
    volume: Math.fround(v(i) + v(i - 1) + v(i - 2)),
    percentage,
    mitigated: inherited?.mitigated ?? 0,
    breaker: inherited?.breaker ?? false,
    erased: false,
  };
}

/**
 * (a) for one block at bar i: erase a breaker block traded through its far edge, or mark a block mitigated
 * (bullish: MitigatedIndex = i−1, the bar before; bearish: i). Returns whether the block changed.
 */
export function trackBlock(b: OrderBlock, bars: SmcBars, i: number, closeMitigation: boolean): boolean {
  const bull = b.dir > 0;
  if (b.breaker) {
    if (bull ? bars.high[i]! > b.top : bars.low[i]! < b.bottom) {
      b.erased = true;
      b.mitigated = 0;
      return true;
    }
    return false;
  }
  const o = bars.open[i]!;
  const c = bars.close[i]!;
  const broken = bull
    ? (closeMitigation ? Math.min(o, c) : bars.low[i]!) < b.bottom
    : (closeMitigation ? Math.max(o, c) : bars.high[i]!) > b.top;
  if (!broken) return false;
  b.breaker = true;
  b.mitigated = bull ? i - 1 : i;
  return true;
}

/** (a) for all tracked blocks of one direction, with heaps so that a bar costs only the blocks it changes. */
export class OrderBlockTracker {
  /** Unmitigated tracked blocks, keyed so that the ones bar i mitigates come first. */
  private readonly mitigation = new KeyedHeap<OrderBlock>();
  /** Mitigated ("breaker") tracked blocks, keyed so that the ones bar i erases come first. */
  private readonly erasing = new KeyedHeap<OrderBlock>();

  constructor(
    readonly dir: 1 | -1,
    private readonly closeMitigation: boolean,
  ) {}

  /** Starts tracking `b` (not erased) from the next bar on. */
  add(b: OrderBlock): void {
    if (b.breaker) this.erasing.push(b, this.dir > 0 ? b.top : -b.bottom);
    else this.mitigation.push(b, this.dir > 0 ? -b.bottom : b.top);
  }

  /** Applies bar i to every tracked block; `onChange` sees each block mitigated or erased (then untracked). */
  track(bars: SmcBars, i: number, onChange?: (b: OrderBlock) => void): void {
    const { mitigation, erasing } = this;
    const bull = this.dir > 0;
    const far = bull ? bars.high[i]! : -bars.low[i]!;
    while (erasing.peekKey() < far) {
      const b = erasing.pop();
      trackBlock(b, bars, i, this.closeMitigation);
      onChange?.(b);
    }
    const o = bars.open[i]!;
    const c = bars.close[i]!;
    const near = bull ? -(this.closeMitigation ? Math.min(o, c) : bars.low[i]!) : this.closeMitigation ? Math.max(o, c) : bars.high[i]!;
    while (mitigation.peekKey() < near) {
      const b = mitigation.pop();
      trackBlock(b, bars, i, this.closeMitigation);
      // Erasure was tested above: a block mitigated at bar i is tested for erasure from bar i+1 on.
      this.add(b);
      onChange?.(b);
    }
  }
}

/** The whole pass of one direction over bars 0 … n−1 (batch); returns every block created, erased or not. */
export function orderBlockPass(
  bars: SmcBars,
  dir: 1 | -1,
  swingLabels: Float64Array,
  closeMitigation: boolean,
  inherit?: InheritedState,
): OrderBlock[] {
  const creator = new OrderBlockCreator(dir);
  const tracker = new OrderBlockTracker(dir, closeMitigation);
  const blocks: OrderBlock[] = [];
  for (let i = 0; i < bars.length; i++) {
    tracker.track(bars, i);
    const b = creator.step(bars, i, i > 0 ? swingLabels[i - 1]! : NaN, inherit);
    if (b) {
      blocks.push(b);
      tracker.add(b);
    }
  }
  return blocks;
}

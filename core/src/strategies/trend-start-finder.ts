// cus_cds_trend_finder: marks swing lows / highs as confirmed uptrend / downtrend starts, exactly as
// specified in specs/trend-starts.md. Section numbers below refer to that document.
import type { OhlcBar } from '../bar.ts';
import { evaluateCds, evaluateCus, outsideDownClose, type PriceColumns } from './trend-start-rules.ts';

export interface TrendStartSignal {
  readonly type: 'up' | 'down';
  /** 1-based index of the start bar (the confirmed candidate), in feed order. */
  readonly barIndex: number;
  readonly barTime: number;
  /** 1-based index of the bar whose close made the start knowable. */
  readonly triggerIndex: number;
  readonly triggerTime: number;
  /** Rule label, or `FORCED_by_CUS_<label>` / `FORCED_by_CDS_<label>` for forced alternation. */
  readonly rule: string;
}

export interface TrendStartFinderOptions {
  /**
   * Drop a signal whose (barIndex, type) was already emitted (end of section 9.3). Default true.
   * Turned off only by the batch path, which de-duplicates after sorting (section 9.2).
   */
  readonly suppressRepeats?: boolean;
}

const EMITTED_DOWN = 1;
const EMITTED_UP = 2;

export class TrendStartFinder {
  private readonly suppressRepeats: boolean;
  private n = 0;
  private time = new Float64Array(1024);
  private cols: PriceColumns = {
    open: new Float64Array(1024),
    high: new Float64Array(1024),
    low: new Float64Array(1024),
    close: new Float64Array(1024),
  };
  /** Per bar: EMITTED_* bits, for streaming suppression. */
  private emitted = new Uint8Array(1024);

  private pusCand = 0;
  /** Bars `pusCand+1 .. pusCheckedTo` are known to have no low below the PUS candidate's low. */
  private pusCheckedTo = 0;
  private pdsCand = 0;
  /** Max high / min low over `pdsCand+1 .. pdsAggTo`, extended lazily when a CDS is evaluated. */
  private pdsAggTo = 0;
  private pdsMaxHigh = -Infinity;
  private pdsMinLow = Infinity;

  private contActive = false;
  private contRefHigh = 0;
  private contRefLow = 0;
  private contStart = 0;

  private lastType: 'up' | 'down' | null = null;
  private lastIndex = 0;

  constructor(options: TrendStartFinderOptions = {}) {
    this.suppressRepeats = options.suppressRepeats ?? true;
  }

  /** Number of bars fed so far (= index of the last bar). */
  get barCount(): number {
    return this.n;
  }

  /** Prices of bar `index` (1-based) as fed; volume is not kept (the algorithm never reads it). */
  barAt(index: number): Omit<OhlcBar, 'volume'> {
    if (!(index >= 1 && index <= this.n)) throw new RangeError(`bar ${index} is outside 1..${this.n}`);
    const c = this.cols;
    return { time: this.time[index]!, open: c.open[index]!, high: c.high[index]!, low: c.low[index]!, close: c.close[index]! };
  }

  /** Current PUS candidate's bar index, if any. */
  get pendingUpIndex(): number | undefined {
    return this.pusCand === 0 ? undefined : this.pusCand;
  }

  /** Current PDS candidate's bar index, if any. */
  get pendingDownIndex(): number | undefined {
    return this.pdsCand === 0 ? undefined : this.pdsCand;
  }

  /** Processes one closed bar; returns the signals it triggers, in emission order (9.1). */
  update(bar: OhlcBar): TrendStartSignal[] {
    const i = this.append(bar);
    const out: TrendStartSignal[] = [];
    if (i === 1) return out;
    const p = this.cols;
    const { high, low, close, open } = p;
    const curH = high[i]!;
    const curL = low[i]!;
    const prev = i - 1;

    // Step 0: snapshot; steps 1-6 judge against the candidates as they were when the bar opened.
    let u = this.pusCand;
    const d = this.pdsCand;

    // Step 1: the window ends at i-2 on purpose (prev and cur are left to the CUS rules). Bars
    // already checked for this candidate are not rescanned, so this is amortised O(1).
    if (u !== 0) {
      const uL = low[u]!;
      for (let k = this.pusCheckedTo + 1; k <= i - 2; k++) {
        if (low[k]! < uL) {
          u = 0;
          this.pusCand = 0;
          break;
        }
      }
      if (u !== 0 && i - 2 > this.pusCheckedTo) this.pusCheckedTo = i - 2;
    }

    // Step 2: containment; the reference range is frozen when it starts.
    if (this.contActive && !(curH <= this.contRefHigh && curL >= this.contRefLow)) {
      this.contActive = false;
    }
    if (!this.contActive) {
      const r = d !== 0 ? d : u;
      if (r !== 0 && r !== i && curH <= high[r]! && curL >= low[r]!) {
        this.contActive = true;
        this.contRefHigh = high[r]!;
        this.contRefLow = low[r]!;
        this.contStart = i;
      }
    }

    // Steps 3-4: both evaluated on the same pre-application state.
    const suppressed = this.contActive && i > this.contStart + 5;
    let cusRule: string | null = null;
    let cdsRule: string | null = null;
    if (!suppressed && u !== 0) {
      // Step 1 cleared u if anything in u+1..i-2 undercut it, so only prev remains to check.
      const noLowerLow = u === prev || low[prev]! >= low[u]!;
      cusRule = evaluateCus(p, i, u, d, noLowerLow);
    }
    if (!suppressed && d !== 0) {
      this.extendPdsAggregates(prev);
      cdsRule = evaluateCds(p, i, d, this.pdsMaxHigh, this.pdsMinLow);
    }

    // Step 5: apply CUS.
    if (cusRule !== null) {
      if (this.lastType === 'up' && this.lastIndex !== 0 && u > this.lastIndex) {
        const f = this.extremeIndex(high, this.lastIndex + 1, u - 1, true);
        if (f !== 0) this.emit(out, 'down', f, i, 'FORCED_by_CUS_' + cusRule);
      }
      this.emit(out, 'up', u, i, cusRule);
      this.lastType = 'up';
      this.lastIndex = u;
      this.pusCand = 0;
      if (cusRule === 'HigherHighLowerLowDownClose') {
        this.trySetPds(i, prev);
      } else if (cusRule !== 'EngulfingUpPDSLowBreak' && curH <= high[u]!) {
        this.trySetPds(u, u - 1);
      }
    }

    // Step 6: apply CDS. lastType already reflects a CUS applied on this same bar.
    if (cdsRule !== null) {
      if (this.lastType === 'down' && this.lastIndex !== 0 && d > this.lastIndex) {
        const f = this.extremeIndex(low, this.lastIndex + 1, d - 1, false);
        if (f !== 0) this.emit(out, 'up', f, i, 'FORCED_by_CDS_' + cdsRule);
      }
      this.emit(out, 'down', d, i, cdsRule);
      this.lastType = 'down';
      this.lastIndex = d;
      if (this.pusCand !== 0 && this.pusCand < d) this.pusCand = 0;
      // A PDS installed by step 5's follow-up is a different bar and must survive.
      if (this.pdsCand === d) this.pdsCand = 0;
    }

    // Step 7: new pending starts; skipped inside a containment except on the bar that starts it.
    if (this.contActive && this.contStart !== i) return out;
    const cdsOK = cdsRule !== null;
    let newPdsOnCur = false;
    if (!cdsOK && curH > high[prev]! && close[i]! < open[i]!) newPdsOnCur = this.trySetPds(i, prev);
    if (!cdsOK && !newPdsOnCur && curH <= high[prev]!) this.trySetPds(prev, i - 2);
    if (cusRule === null && !newPdsOnCur && (curL >= low[prev]! || outsideDownClose(p, i, prev))) {
      this.trySetPus(prev);
    }
    return out;
  }

  /** Guard index 0 means no guard. */
  private trySetPds(x: number, guard: number): boolean {
    const high = this.cols.high;
    if (guard !== 0 && high[x]! < high[guard]!) return false;
    if (this.pdsCand !== 0 && !(high[x]! > high[this.pdsCand]!)) return false;
    this.pdsCand = x;
    this.pdsAggTo = x;
    this.pdsMaxHigh = -Infinity;
    this.pdsMinLow = Infinity;
    return true;
  }

  private trySetPus(x: number): void {
    const low = this.cols.low;
    if (this.pusCand !== 0 && !(low[x]! < low[this.pusCand]!)) return;
    this.pusCand = x;
    this.pusCheckedTo = x;
  }

  /**
   * Each candidate's range is scanned once over its lifetime; a candidate moved back to an old
   * PUS bar (step 5.5) rescans from there, but PUS bars confirmed in turn are disjoint in time.
   */
  private extendPdsAggregates(to: number): void {
    const { high, low } = this.cols;
    let maxH = this.pdsMaxHigh;
    let minL = this.pdsMinLow;
    for (let k = this.pdsAggTo + 1; k <= to; k++) {
      const h = high[k]!;
      const l = low[k]!;
      if (h > maxH) maxH = h;
      if (l < minL) minL = l;
    }
    if (to > this.pdsAggTo) this.pdsAggTo = to;
    this.pdsMaxHigh = maxH;
    this.pdsMinLow = minL;
  }

  /** Earliest index of the highest (or lowest) value in `from..to`; 0 when the range is empty. */
  private extremeIndex(values: Float64Array, from: number, to: number, highest: boolean): number {
    let best = 0;
    let bestValue = highest ? -Infinity : Infinity;
    for (let k = from; k <= to; k++) {
      const v = values[k]!;
      if (highest ? v > bestValue : v < bestValue) {
        best = k;
        bestValue = v;
      }
    }
    return best;
  }

  private emit(out: TrendStartSignal[], type: 'up' | 'down', barIndex: number, i: number, rule: string): void {
    if (this.suppressRepeats) {
      const bit = type === 'down' ? EMITTED_DOWN : EMITTED_UP;
      const seen = this.emitted[barIndex]!;
      if ((seen & bit) !== 0) return;
      this.emitted[barIndex] = seen | bit;
    }
    out.push({
      type,
      barIndex,
      barTime: this.time[barIndex]!,
      triggerIndex: i,
      triggerTime: this.time[i]!,
      rule,
    });
  }

  private append(bar: OhlcBar): number {
    const i = this.n + 1;
    if (i > 1 && bar.time < this.time[i - 1]!) {
      throw new RangeError(`TrendStartFinder: bar at ${bar.time} is older than the previous bar`);
    }
    if (i >= this.time.length) this.grow();
    this.time[i] = bar.time;
    this.cols.open[i] = bar.open;
    this.cols.high[i] = bar.high;
    this.cols.low[i] = bar.low;
    this.cols.close[i] = bar.close;
    this.n = i;
    return i;
  }

  private grow(): void {
    const capacity = this.time.length * 2;
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(capacity);
      b.set(a);
      return b;
    };
    const { open, high, low, close } = this.cols;
    this.time = f64(this.time);
    this.cols = { open: f64(open), high: f64(high), low: f64(low), close: f64(close) };
    const emitted = new Uint8Array(capacity);
    emitted.set(this.emitted);
    this.emitted = emitted;
  }
}

/**
 * Batch form (section 9.2): every raw signal, stable-sorted by (barIndex, down before up,
 * triggerIndex), keeping the first per (barIndex, type). Bars are sorted by time first (stable),
 * and indices refer to that order.
 */
export function findTrendStarts(bars: readonly OhlcBar[]): TrendStartSignal[] {
  let ordered = bars;
  for (let k = 1; k < bars.length; k++) {
    if (bars[k]!.time < bars[k - 1]!.time) {
      ordered = [...bars].sort((a, b) => a.time - b.time);
      break;
    }
  }
  const finder = new TrendStartFinder({ suppressRepeats: false });
  const raw: TrendStartSignal[] = [];
  for (const bar of ordered) {
    for (const s of finder.update(bar)) raw.push(s);
  }
  raw.sort(compareSignals);
  const kept: TrendStartSignal[] = [];
  const seen = new Set<number>();
  for (const s of raw) {
    const key = s.barIndex * 2 + (s.type === 'up' ? 1 : 0);
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(s);
  }
  return kept;
}

/** Section 9.2 order: bar ascending, down before up, then trigger; Array#sort is stable. */
export function compareSignals(a: TrendStartSignal, b: TrendStartSignal): number {
  if (a.barIndex !== b.barIndex) return a.barIndex - b.barIndex;
  if (a.type !== b.type) return a.type === 'down' ? -1 : 1;
  return a.triggerIndex - b.triggerIndex;
}

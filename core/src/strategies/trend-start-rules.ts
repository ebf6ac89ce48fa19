// Confirmation patterns of the cus_cds_trend_finder algorithm (specs/trend-starts.md, sections 6-7).
// Pure predicates over 1-based price columns; index 0 means "absent" throughout, which is safe
// because real bars start at index 1.

/** Price columns indexed by 1-based bar index (slot 0 unused). */
export interface PriceColumns {
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
}

export type CusRule =
  'EXHAUSTION_REVERSAL' | 'LowUndercutHighRespect' | 'HigherHighLowerLowDownClose' | 'EngulfingUpPDSLowBreak' | 'BreakoutAfterFailedLowV2';

export type CdsRule =
  | 'LowThenHigherClose_vs_PDSOpen'
  | 'RallyLowBreaksPeakLow_A'
  | 'NewHighWeakAdvance_B'
  | 'FailedRallyAfterLowBreak_F'
  | 'HigherOHLCAfterLowBreak_G'
  | 'OutsideBarStrongerClose_H';

/** Later bar `x` has a lower high, low and close than earlier bar `y` (opens ignored). */
export function lowerBar(p: PriceColumns, x: number, y: number): boolean {
  return p.low[x]! < p.low[y]! && p.high[x]! < p.high[y]! && p.close[x]! < p.close[y]!;
}

/** Later bar `x` has a higher high, low and close than earlier bar `y` (opens ignored). */
export function higherBar(p: PriceColumns, x: number, y: number): boolean {
  return p.low[x]! > p.low[y]! && p.high[x]! > p.high[y]! && p.close[x]! > p.close[y]!;
}

/** `x` engulfs `y`'s range and closes below its own open. */
export function outsideDownClose(p: PriceColumns, x: number, y: number): boolean {
  return p.high[x]! > p.high[y]! && p.low[x]! < p.low[y]! && p.close[x]! < p.open[x]!;
}

/**
 * CUS rules for bar `i` against the PUS snapshot `u` (present) and PDS snapshot `d` (0 = absent).
 * `noLowerLowSinceU` must say whether no bar in `u+1 .. i-1` has a low below `u`'s low; the
 * caller tracks that incrementally so this stays O(1).
 */
export function evaluateCus(p: PriceColumns, i: number, u: number, d: number, noLowerLowSinceU: boolean): CusRule | null {
  const { open, high, low, close } = p;
  const prev = i - 1;
  const curL = low[i]!;
  const curH = high[i]!;
  const curC = close[i]!;
  const dL = d !== 0 ? low[d]! : Number.NaN;

  if (lowerBar(p, i, prev) && !(d !== 0 && curL < dL) && i - u <= 6) return 'EXHAUSTION_REVERSAL';
  if (d !== 0 && d > u && curL < dL && curH <= high[d]! && curC > close[prev]!) {
    return 'LowUndercutHighRespect';
  }
  if (outsideDownClose(p, i, prev)) return 'HigherHighLowerLowDownClose';
  if (d !== 0 && curH > high[prev]! && curL < low[prev]! && curC > close[prev]! && curC > open[i]! && curL < dL) {
    return 'EngulfingUpPDSLowBreak';
  }
  if (d !== 0 && d > u && noLowerLowSinceU && curH > high[d]! && curC > close[prev]! && curC > open[i]!) {
    return 'BreakoutAfterFailedLowV2';
  }
  return null;
}

/**
 * CDS rules for bar `i` against the PDS snapshot `d` (present). `maxHighAfterD` / `minLowAfterD`
 * aggregate bars `d+1 .. i-1` (-Infinity / +Infinity when that range is empty), which turns the
 * spec's `noNewHigh` and `pullback` window scans into comparisons.
 */
export function evaluateCds(p: PriceColumns, i: number, d: number, maxHighAfterD: number, minLowAfterD: number): CdsRule | null {
  const { open, high, low, close } = p;
  const prev = i - 1;
  const curL = low[i]!;
  const curH = high[i]!;
  const curC = close[i]!;
  const prevL = low[prev]!;
  const prevH = high[prev]!;
  const prevC = close[prev]!;
  const dH = high[d]!;
  const dL = low[d]!;
  const noNewHigh = maxHighAfterD <= dH;
  const pullback = minLowAfterD <= dL;

  // Rule 1 compares with the candidate's open, not its low: a deliberate quirk of the reference.
  if (curL < prevL && curH > prevH && curC > prevC && noNewHigh && curL < open[d]!) {
    return 'LowThenHigherClose_vs_PDSOpen';
  }
  if (pullback && curH > prevH && curC > prevC && noNewHigh && curL < dL) return 'RallyLowBreaksPeakLow_A';
  if (pullback && curC > prevC && curL >= prevL && curH > dH && noNewHigh) return 'NewHighWeakAdvance_B';
  if (noNewHigh && prevL < dL && curH > prevH && curC < prevC && curC < open[i]!) {
    return 'FailedRallyAfterLowBreak_F';
  }
  if (higherBar(p, i, prev) && noNewHigh && prevL < dL) return 'HigherOHLCAfterLowBreak_G';
  // Implied by rule 1 on well-formed bars; kept so malformed bars (L > O) behave like the reference.
  if (d === prev && curH > prevH && curL < prevL && curC > prevC) return 'OutsideBarStrongerClose_H';
  return null;
}

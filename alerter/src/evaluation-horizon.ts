// How far the stored data is complete: the first knownAt whose events may not all be stored yet. Each
// series holds it at its next bar's close, each analyzer target at the close of the bar after its last
// analysed one — unless its series went quiet while others moved on (an idle series does not stall all).

/** A series' next bar may be this much later than its timeframe after the newest close of the scope
 * (the ingester's close grace, a flush, a slow commit) before the series counts as idle. */
export const IDLE_GRACE_MS = 60_000;

export interface HorizonSeries {
  /** Close time of the series' last closed bar; undefined: nothing stored yet. */
  readonly lastClose: number | undefined;
  /** Close time of the bar after the last closed one (the next knownAt the series can still bring). */
  readonly nextClose: number | undefined;
  /** The longest open → close of the series' bars (its idle threshold is this + IDLE_GRACE_MS). */
  readonly lengthMs: number;
  /** Close time of the bar after each analyzer target's last analysed one, on this series. */
  readonly targetNextCloses: readonly number[];
}

export interface Horizon {
  /** Exclusive bound; undefined: nothing stored. */
  readonly horizon: number | undefined;
  /** Indexes of the series left out of the minimum: no bar for longer than their timeframe + grace
   * while another series closed bars. Their next bar, when it comes, is late data (evaluated again). */
  readonly idle: readonly number[];
}

/**
 * The minimum over the series (and their targets) that are not idle. Series with nothing stored do not
 * hold it back (their first data, if late, is evaluated again from its instant). Event times only.
 */
export function evaluationHorizon(series: readonly HorizonSeries[]): Horizon {
  let newest = -Infinity;
  for (const s of series) if (s.lastClose !== undefined) newest = Math.max(newest, s.lastClose);
  let horizon = Infinity;
  const idle: number[] = [];
  series.forEach((s, i) => {
    if (s.lastClose === undefined || s.nextClose === undefined) {
      for (const t of s.targetNextCloses) horizon = Math.min(horizon, t);
      return;
    }
    if (newest - s.lastClose > s.lengthMs + IDLE_GRACE_MS) {
      idle.push(i);
      return;
    }
    horizon = Math.min(horizon, s.nextClose, ...s.targetNextCloses);
  });
  return { horizon: Number.isFinite(horizon) ? horizon : undefined, idle };
}

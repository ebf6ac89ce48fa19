// Entry, stop loss and target of an alert: from ATR multiples or the rule's fixed distances.
import type { Direction } from './alert.ts';
import type { RiskSpec } from './rule-schema.ts';
import type { SeriesState } from './series-state.ts';

export interface TradeLevels {
  readonly stopLoss: number | null;
  readonly target: number | null;
}

const NONE: TradeLevels = { stopLoss: null, target: null };

/**
 * long: entry − stop, entry + target; short: the mirror. Distances are `stop_atr`/`target_atr` × the
 * series' ATR at the latest bar (none while it warms up) or the rule's `stop_points`/`target_points`.
 * A setup without a direction, or without an entry, has no levels.
 */
export function tradeLevels(risk: RiskSpec, direction: Direction, entry: number | null, series: SeriesState): TradeLevels {
  if (direction === 'none' || entry === null) return NONE;
  let stop: number;
  let target: number;
  if ('stop_points' in risk) {
    stop = risk.stop_points;
    target = risk.target_points;
  } else {
    const atr = series.number(risk.atr);
    if (atr === undefined) return NONE;
    stop = risk.stop_atr * atr;
    target = risk.target_atr * atr;
  }
  return direction === 'long' ? { stopLoss: entry - stop, target: entry + target } : { stopLoss: entry + stop, target: entry - target };
}

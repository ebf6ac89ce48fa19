// Exit plan of an entry: the stop-loss and take-profit distances in ticks (from ticks, percent of the
// reference price or an ATR multiple) and the ladder's split of the entry quantity into whole steps.
import type { Bracket } from './order.ts';
import type { Distance, StrategyRunConfig } from './run-config-schema.ts';

/** Distance in whole ticks (at least 1), rounded up: a stop never sits closer than configured. */
export function distanceTicks(distance: Distance, referenceTicks: number, tickSize: number, atr: number | undefined): number {
  let ticks: number;
  if ('ticks' in distance) ticks = distance.ticks;
  else if ('percent' in distance) ticks = Math.ceil((referenceTicks * distance.percent) / 100 - 1e-9);
  else ticks = atr === undefined ? NaN : Math.ceil((distance.atr * atr) / tickSize - 1e-9);
  return Number.isNaN(ticks) ? NaN : Math.max(1, ticks);
}

/**
 * The bracket for an entry of `steps` at about `referenceTicks`. Ladder legs get floor(fraction × steps)
 * each and the last leg the rest of the ladder's share; legs that round to 0 steps are dropped.
 * Returns null when there is nothing to attach; NaN stop when it needs an ATR that is not ready.
 */
export function planBracket(
  exits: StrategyRunConfig['exits'],
  steps: number,
  referenceTicks: number,
  tickSize: number,
  atr: number | undefined,
): Bracket | null {
  const stopTicks = exits.stop_loss ? distanceTicks(exits.stop_loss, referenceTicks, tickSize, atr) : null;
  const legs = exits.take_profit;
  const targets: { ticks: number; steps: number }[] = [];
  const ladderSteps = Math.floor(steps * legs.reduce((s, l) => s + l.fraction, 0) + 1e-9);
  let assigned = 0;
  legs.forEach((leg, i) => {
    const legSteps = i === legs.length - 1 ? ladderSteps - assigned : Math.floor(steps * leg.fraction + 1e-9);
    assigned += legSteps;
    const ticks = distanceTicks(leg, referenceTicks, tickSize, atr);
    if (legSteps > 0 && !Number.isNaN(ticks)) targets.push({ ticks, steps: legSteps });
  });
  if (stopTicks === null && targets.length === 0) return null;
  return { stopTicks, targets };
}

// The orders a signal places: its mapped action against the projected position (signal-decision.ts)
// becomes a market close and/or a market entry sized by the run's sizing, with its bracket plan.
import { distanceTicks, planBracket } from './exit-plan.ts';
import type { Instrument } from './instrument.ts';
import type { Money } from './money.ts';
import type { NewOrder } from './order-desk.ts';
import { entrySteps } from './position-sizing.ts';
import type { StrategyRunConfig } from './run-config-schema.ts';
import { decideSignal } from './signal-decision.ts';

export interface SignalContext {
  readonly config: StrategyRunConfig;
  readonly instrument: Instrument;
  readonly runId: string;
  /** Net position plus the market orders already working, in steps. */
  readonly projectedSteps: number;
  /** The last close in ticks (the entry's reference price); NaN before the first bar. */
  readonly markTicks: number;
  readonly equity: Money;
  /** ATR of the exits' period, undefined until ready (or when no exit uses ATR). */
  readonly atr: number | undefined;
}

/** The orders for signal `key` of `type`, in placement order (close first); none for an unmapped type. */
export function signalOrders(ctx: SignalContext, key: string, type: string): NewOrder[] {
  const { config, projectedSteps } = ctx;
  const action = config.signals.map[type];
  if (action === undefined) return [];
  const decision = decideSignal(action, projectedSteps, config.exits.on_opposite_signal);
  const orders: NewOrder[] = [];
  const prefix = `${ctx.runId}:${key}`;
  const tif = config.order_tif;
  if (decision.close) {
    const side = projectedSteps > 0 ? 'sell' : 'buy';
    orders.push({
      clientOrderId: `${prefix}:exit`,
      role: 'exit',
      side,
      type: 'market',
      steps: Math.abs(projectedSteps),
      tif,
      signalKey: key,
    });
  }
  const reference = ctx.markTicks;
  // No bar yet: nothing to size or price an entry from.
  if (decision.enter === 0 || Number.isNaN(reference)) return orders;
  const exits = config.exits;
  const tickSize = ctx.instrument.tickSize;
  const stop = exits.stop_loss ? distanceTicks(exits.stop_loss, reference, tickSize, ctx.atr) : null;
  if (Number.isNaN(stop)) return orders; // an ATR exit before ATR is ready: no entry
  const steps = entrySteps(config.sizing, ctx.instrument, ctx.equity, reference, stop);
  orders.push({
    clientOrderId: `${prefix}:entry`,
    role: 'entry',
    side: decision.enter > 0 ? 'buy' : 'sell',
    type: 'market',
    steps,
    tif,
    signalKey: key,
    bracket: planBracket(exits, steps, reference, tickSize, ctx.atr),
  });
  return orders;
}

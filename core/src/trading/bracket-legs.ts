// Bracket legs: an entry's stop-loss and take-profit ladder, placed from its first fill's price and
// sized to what it has filled, and their OCO with the position (flat cancels them all; a smaller
// position shrinks the stop and trims take-profits from the farthest).
import { isActive, type Order, type OrderRole, type OrderSide, type OrderType, remainingSteps } from './order.ts';
import type { NewOrder, OrderDesk } from './order-desk.ts';

/** Places a leg past the pre-trade limits (legs only reduce the position); undefined when refused. */
export type PlaceLeg = (spec: NewOrder, time: number) => Order | undefined;

/** Places or grows the legs of `entry` after one of its fills; returns the legs it placed. */
export function placeBracketLegs(desk: OrderDesk, place: PlaceLeg, runId: string, entry: Order, fillTicks: number, time: number): Order[] {
  const bracket = entry.bracket!;
  const long = entry.side === 'buy';
  const exitSide: OrderSide = long ? 'sell' : 'buy';
  const dir = long ? 1 : -1;
  const placed: Order[] = [];
  const prefix = `${runId}:${entry.signalKey ?? entry.clientOrderId}`;
  const legs = (entry.legs ??= new Map<string, Order>());
  const leg = (name: string, role: OrderRole, type: OrderType, steps: number, price: number): void => {
    const existing = legs.get(name);
    if (existing) {
      // A later partial fill of the entry grows a working leg; a finished leg stays finished.
      if (isActive(existing) && existing.qtySteps < steps) desk.resize(existing, steps, time);
      return;
    }
    const order = place(
      {
        clientOrderId: `${prefix}:${name}`,
        role,
        side: exitSide,
        type,
        steps,
        limitTicks: type === 'limit' ? price : null,
        stopTicks: type === 'stop' ? price : null,
        signalKey: entry.signalKey,
      },
      time,
    );
    if (order) {
      legs.set(name, order);
      if (isActive(order)) placed.push(order);
    }
  };
  const filled = entry.filledSteps;
  // Legs are priced from the entry's first fill (its later partial fills only add quantity).
  const base = (entry.bracketBase ??= fillTicks);
  if (bracket.stopTicks !== null) leg('sl', 'stop_loss', 'stop', filled, base - dir * bracket.stopTicks);
  const plan = bracket.targets;
  const total = plan.reduce((s, t) => s + t.steps, 0);
  let assigned = 0;
  plan.forEach((target, i) => {
    const share =
      i === plan.length - 1
        ? Math.min(filled, Math.floor((filled * total) / entry.qtySteps)) - assigned
        : Math.floor((filled * target.steps) / entry.qtySteps);
    assigned += share;
    if (share > 0) leg(`tp${i + 1}`, 'take_profit', 'limit', share, base + dir * target.ticks);
  });
  return placed;
}

/** OCO between the legs and the net position `net` (steps); legs on the wrong side (after a reversal) are cancelled. */
export function reconcileBracketLegs(desk: OrderDesk, net: number, time: number): void {
  const closeSide: OrderSide = net > 0 ? 'sell' : 'buy';
  const size = Math.abs(net);
  let takeProfitSteps = 0;
  const legs = desk.book.active.filter((o) => o.role === 'stop_loss' || o.role === 'take_profit');
  for (const leg of legs) {
    if (net === 0 || leg.side !== closeSide) desk.cancel(leg, 'oco', time);
    else if (leg.role === 'stop_loss' && remainingSteps(leg) > size) desk.resize(leg, leg.filledSteps + size, time);
    else if (leg.role === 'take_profit') takeProfitSteps += remainingSteps(leg);
  }
  let excess = takeProfitSteps - size;
  for (let i = legs.length - 1; i >= 0 && excess > 0; i--) {
    const leg = legs[i]!;
    if (leg.role !== 'take_profit' || !isActive(leg)) continue;
    const cut = Math.min(excess, remainingSteps(leg));
    excess -= cut;
    if (cut === remainingSteps(leg)) desk.cancel(leg, 'oco', time);
    else desk.resize(leg, leg.qtySteps - cut, time);
  }
}

// Orders: the record of one order (market, limit, stop, stop-limit; GTC or day) and its state machine
// new → working → partially_filled → filled | cancelled | rejected, each change published as a snapshot.
import { TradingError } from './trading-error.ts';

export type OrderSide = 'buy' | 'sell';
export type OrderType = 'market' | 'limit' | 'stop' | 'stop_limit';
export type TimeInForce = 'gtc' | 'day';
export type OrderStatus = 'new' | 'working' | 'partially_filled' | 'filled' | 'cancelled' | 'rejected';
/** Why the engine placed it: a signal's entry or exit, a bracket leg, a time stop, a halt's flatten, a command. */
export type OrderRole = 'entry' | 'exit' | 'stop_loss' | 'take_profit' | 'time_stop' | 'flatten' | 'manual';

/** The engine's working copy of an order; prices in whole ticks, quantities in whole steps. */
export interface Order {
  readonly clientOrderId: string;
  /** Placement sequence within the run: the order in which orders are evaluated on a bar. */
  readonly seq: number;
  readonly role: OrderRole;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly tif: TimeInForce;
  readonly signalKey: string | null;
  /** Trade date (session) the order was placed in; a day order expires when a later session starts. */
  readonly session: number;
  readonly createdAt: number;
  /** Tick model: the first instant the venue has acknowledged it (createdAt + seeded latency). */
  readonly activeAt: number;
  qtySteps: number;
  filledSteps: number;
  limitTicks: number | null;
  stopTicks: number | null;
  status: OrderStatus;
  reason: string | null;
  /** Stop and stop-limit: the stop price has traded (a stop is a market order from then on). */
  triggered: boolean;
  /** Tick model: the order has seen an eligible trade/quote (only the first can fill at a gap price). */
  seenMarket: boolean;
  /** Replace count: 0 as placed. */
  revision: number;
  /** Bar model: the order was placed inside the bar being evaluated (a bracket leg of an entry fill). */
  placedInBar: boolean;
  /** The bracket legs apply only to entries: distances from the fill price, in ticks. */
  readonly bracket: Bracket | null;
  /** Fills so far (numbering the next fill's id). */
  fills: number;
  /** Entries: the first fill's price in ticks, which the bracket legs are priced from. */
  bracketBase: number | null;
  /** Entries: the bracket legs placed for it, by leg name (sl, tp1, tp2 …). */
  legs: Map<string, Order> | null;
}

export interface Bracket {
  readonly stopTicks: number | null;
  /** Take-profit ladder: distance and the steps each leg closes (the last leg takes the remainder). */
  readonly targets: readonly { readonly ticks: number; readonly steps: number }[];
}

const ACTIVE: ReadonlySet<OrderStatus> = new Set(['new', 'working', 'partially_filled']);

export function isActive(order: Order): boolean {
  return ACTIVE.has(order.status);
}

const NEXT: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  new: ['working', 'rejected', 'cancelled'],
  working: ['partially_filled', 'filled', 'cancelled'],
  partially_filled: ['partially_filled', 'filled', 'cancelled'],
  filled: [],
  cancelled: [],
  rejected: [],
};

/** Moves an order to `status`; a transition the state machine does not allow is a bug and throws. */
export function transition(order: Order, status: OrderStatus, reason: string | null = null): void {
  if (!NEXT[order.status].includes(status)) {
    throw new TradingError('invalid_order_transition', `order ${order.clientOrderId}: ${order.status} → ${status} is not allowed`);
  }
  order.status = status;
  order.reason = reason;
}

/** Steps still to fill. */
export function remainingSteps(order: Order): number {
  return order.qtySteps - order.filledSteps;
}

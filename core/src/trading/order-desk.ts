// The order desk: creates orders (placement sequence, acknowledgement latency in the tick model),
// moves them through their states and publishes each change as an order record.
import type { EngineEvent, OrderRecord } from './engine-events.ts';
import { type Instrument, stepsToQty, tickPrice } from './instrument.ts';
import {
  type Bracket,
  isActive,
  type Order,
  type OrderRole,
  type OrderSide,
  type OrderType,
  type TimeInForce,
  transition,
} from './order.ts';
import { OrderBook } from './order-book.ts';
import type { SeededRandom } from './seeded-random.ts';

/** What placing an order takes: prices in ticks, quantity in steps. */
export interface NewOrder {
  readonly clientOrderId: string;
  readonly role: OrderRole;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly steps: number;
  readonly limitTicks?: number | null;
  readonly stopTicks?: number | null;
  readonly tif?: TimeInForce;
  readonly signalKey?: string | null;
  readonly bracket?: Bracket | null;
}

export class OrderDesk {
  readonly book = new OrderBook();
  private seq = 0;

  constructor(
    private readonly instrument: Instrument,
    private readonly emit: (event: EngineEvent) => void,
    /** Tick model: latency draws in [min, max] ms; null in the bar model (no latency). */
    private readonly latency: { readonly rng: SeededRandom; readonly min: number; readonly max: number } | null,
  ) {}

  /** A new order in state `new`, in the book and published. */
  create(spec: NewOrder, time: number, session: number, placedInBar: boolean): Order {
    const delay = this.latency ? this.latency.rng.integer(this.latency.min, this.latency.max) : 0;
    const order: Order = {
      clientOrderId: spec.clientOrderId,
      seq: this.seq++,
      role: spec.role,
      side: spec.side,
      type: spec.type,
      tif: spec.tif ?? 'gtc',
      signalKey: spec.signalKey ?? null,
      session,
      createdAt: time,
      activeAt: time + delay,
      qtySteps: spec.steps,
      filledSteps: 0,
      limitTicks: spec.limitTicks ?? null,
      stopTicks: spec.stopTicks ?? null,
      status: 'new',
      reason: null,
      triggered: false,
      seenMarket: false,
      revision: 0,
      placedInBar,
      bracket: spec.bracket ?? null,
      fills: 0,
      bracketBase: null,
      legs: null,
    };
    this.book.add(order);
    this.publish(order, time);
    return order;
  }

  work(order: Order, time: number): void {
    this.move(order, 'working', null, time);
  }

  reject(order: Order, reason: string, time: number): void {
    this.move(order, 'rejected', reason, time);
  }

  cancel(order: Order, reason: string, time: number): void {
    this.move(order, 'cancelled', reason, time);
  }

  /** Books `steps` filled: partially filled or filled. */
  filled(order: Order, steps: number, time: number): void {
    order.filledSteps += steps;
    order.fills++;
    this.move(order, order.filledSteps === order.qtySteps ? 'filled' : 'partially_filled', null, time);
  }

  /** Replace: a new quantity (and/or prices set by the caller) as the next revision. */
  resize(order: Order, steps: number, time: number): void {
    order.qtySteps = steps;
    order.revision++;
    this.publish(order, time);
  }

  private move(order: Order, status: Order['status'], reason: string | null, time: number): void {
    transition(order, status, reason);
    if (!isActive(order)) this.book.remove(order);
    this.publish(order, time);
  }

  private publish(order: Order, time: number): void {
    this.emit({ type: 'order', time, order: this.record(order) });
  }

  record(order: Order): OrderRecord {
    const instrument = this.instrument;
    return {
      clientOrderId: order.clientOrderId,
      role: order.role,
      side: order.side,
      orderType: order.type,
      tif: order.tif,
      qty: stepsToQty(instrument, order.qtySteps),
      filledQty: stepsToQty(instrument, order.filledSteps),
      limitPrice: order.limitTicks === null ? null : tickPrice(instrument, order.limitTicks),
      stopPrice: order.stopTicks === null ? null : tickPrice(instrument, order.stopTicks),
      status: order.status,
      reason: order.reason,
      revision: order.revision,
      signalKey: order.signalKey,
    };
  }
}

// The run's working orders: in placement order, by client_order_id, and in the order a bar evaluates
// them. Finished orders are dropped (their records are the history): a run over millions of bars keeps
// only what can still change, and the signal keys the engine has seen keep a replay from placing twice.
import type { Order } from './order.ts';

/** Evaluation rank on a bar: market orders, then stops (stop-first is the conservative SL/TP rule), then limits. */
const RANK: Readonly<Record<Order['type'], number>> = { market: 0, stop: 1, stop_limit: 1, limit: 2 };

export class OrderBook {
  /** Orders not yet filled, cancelled or rejected, in placement order. */
  readonly active: Order[] = [];
  private readonly byId = new Map<string, Order>();

  /** The working order with this id, if any. */
  get(clientOrderId: string): Order | undefined {
    return this.byId.get(clientOrderId);
  }

  add(order: Order): void {
    this.byId.set(order.clientOrderId, order);
    this.active.push(order);
  }

  remove(order: Order): void {
    const i = this.active.indexOf(order);
    if (i >= 0) this.active.splice(i, 1);
    this.byId.delete(order.clientOrderId);
  }

  /** A copy of the working orders sorted by rank, then placement. */
  evaluationOrder(): Order[] {
    const queue = this.active.slice();
    if (queue.length > 1) queue.sort((a, b) => RANK[a.type] - RANK[b.type] || a.seq - b.seq);
    return queue;
  }
}

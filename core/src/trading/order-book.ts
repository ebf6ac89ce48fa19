// The run's working orders: in evaluation order, by client_order_id. Finished orders are dropped (their
// records are the history): a run over millions of bars keeps only what can still change, and the
// signal keys the engine has seen keep a replay from placing twice.
import type { Order } from './order.ts';

/** Evaluation rank on a bar: market orders, then stops (stop-first is the conservative SL/TP rule), then limits. */
const RANK: Readonly<Record<Order['type'], number>> = { market: 0, stop: 1, stop_limit: 1, limit: 2 };

export class OrderBook {
  /** Orders not yet filled, cancelled or rejected, kept sorted by rank, then placement (`seq`). */
  readonly active: Order[] = [];
  private readonly byId = new Map<string, Order>();
  /** Reused by `evaluationOrder` so a bar allocates nothing for it. */
  private readonly queue: Order[] = [];

  /** The working order with this id, if any. */
  get(clientOrderId: string): Order | undefined {
    return this.byId.get(clientOrderId);
  }

  add(order: Order): void {
    this.byId.set(order.clientOrderId, order);
    const active = this.active;
    let i = active.length;
    // New orders have the highest seq: they go after every order of their rank or lower.
    while (i > 0 && RANK[active[i - 1]!.type] > RANK[order.type]) i--;
    active.splice(i, 0, order);
  }

  remove(order: Order): void {
    const i = this.active.indexOf(order);
    if (i >= 0) this.active.splice(i, 1);
    this.byId.delete(order.clientOrderId);
  }

  /** The working orders in evaluation order, copied into a reused array (valid until the next call). */
  evaluationOrder(): Order[] {
    const queue = this.queue;
    queue.length = 0;
    for (const order of this.active) queue.push(order);
    return queue;
  }
}

// The fill step: fills the working orders on one closed bar (bar model) or one trade/quote (tick model),
// within the participation cap, booking each fill and placing the bracket legs an entry's fill opens.
import type { OhlcBar } from '../bar.ts';
import { type BarTicks, barFillTicks } from './bar-fill-model.ts';
import { placeBracketLegs, reconcileBracketLegs } from './bracket-legs.ts';
import type { ExecutionCosts } from './execution-costs.ts';
import { type Instrument, toTicks } from './instrument.ts';
import type { Ledger } from './ledger.ts';
import { isActive, type Order, remainingSteps } from './order.ts';
import type { OrderBook } from './order-book.ts';
import type { NewOrder, OrderDesk } from './order-desk.ts';
import type { PositionBook } from './position-book.ts';
import type { StrategyRunConfig } from './run-config-schema.ts';
import { type MarketTicks, tickFillTicks } from './tick-fill-model.ts';

const NO_ORDERS: Order[] = [];

export class FillStep {
  /** True while a bar's fills are evaluated: orders placed then (bracket legs) are inside the bar. */
  inBar = false;
  // Reused for every bar and tick: the hot path allocates nothing per input.
  private readonly barTicks: BarTicks = { open: 0, high: 0, low: 0, close: 0 };
  private readonly tick: MarketTicks = { isQuote: false, price: 0, bid: 0, ask: 0 };
  private readonly orders: OrderBook;
  private readonly position: PositionBook;

  constructor(
    private readonly instrument: Instrument,
    private readonly costs: ExecutionCosts,
    private readonly participation: StrategyRunConfig['participation'],
    /** The tick model fills on trades and quotes only; the bar model on closed bars only. */
    private readonly tickModel: boolean,
    private readonly desk: OrderDesk,
    private readonly ledger: Ledger,
    private readonly runId: string,
    /** Places a bracket leg (exempt from the pre-trade limits: legs only reduce the position). */
    private readonly placeLeg: (spec: NewOrder, time: number) => Order | undefined,
  ) {
    this.orders = desk.book;
    this.position = ledger.position;
  }

  /** Bar model: fills the working orders on closed `bar` (the `barIndex`th); returns its close in ticks. */
  onBar(bar: OhlcBar, barIndex: number): number {
    const b = this.barTicks;
    const instrument = this.instrument;
    b.open = toTicks(instrument, bar.open);
    b.high = toTicks(instrument, bar.high);
    b.low = toTicks(instrument, bar.low);
    b.close = toTicks(instrument, bar.close);
    if (!this.tickModel && this.orders.active.length > 0) this.fillOnBar(bar.time, bar.volume, barIndex);
    return b.close;
  }

  /** Bar model: the orders working at the open first (market, then stops, then limits, each by placement),
   * then the legs the fills place, in place (see bar-fill-model.ts). */
  private fillOnBar(time: number, volume: number, barIndex: number): void {
    let budget = this.budget(volume);
    const queue = this.orders.evaluationOrder();
    this.inBar = true;
    for (let i = 0; i < queue.length && budget > 0; i++) {
      const order = queue[i]!;
      if (!isActive(order)) continue;
      const ticks = barFillTicks(order, this.barTicks, this.costs.slipTicks(this.barTicks.open));
      if (Number.isNaN(ticks)) continue;
      const steps = Math.min(this.fillableSteps(order, time), budget);
      if (steps === 0) continue;
      budget -= steps;
      const legs = this.fill(order, ticks, steps, time, barIndex);
      // Legs of an entry filled at the open (a market order: the bar model fills those only there) see the
      // rest of the bar; of one filled inside it, only the stop (conservative: the adverse extreme may come
      // after the entry, the favourable one is not credited).
      const atOpen = order.type === 'market';
      for (const leg of legs) {
        if (leg.role === 'stop_loss' || atOpen) queue.splice(i + 1, 0, leg);
      }
    }
    this.inBar = false;
    for (const order of this.orders.active) order.placedInBar = false;
  }

  /** Tick model: fills the working orders on one trade or quote (prices already checked); returns the
   * trade's price in ticks (NaN for a quote). */
  onMarket(time: number, isQuote: boolean, price: number, bid: number, ask: number, size: number, barIndex: number): number {
    const m = this.tick;
    m.isQuote = isQuote;
    m.price = isQuote ? NaN : toTicks(this.instrument, price);
    m.bid = toTicks(this.instrument, bid);
    m.ask = toTicks(this.instrument, ask);
    let budget = isQuote ? Infinity : this.budget(size);
    for (const order of this.orders.evaluationOrder()) {
      if (budget <= 0) break;
      if (!isActive(order) || order.activeAt > time) continue;
      const ticks = tickFillTicks(order, m, isQuote ? 0 : this.costs.slipTicks(m.price));
      if (Number.isNaN(ticks)) continue;
      const steps = Math.min(this.fillableSteps(order, time), budget);
      if (steps === 0) continue;
      budget -= steps;
      this.fill(order, ticks, steps, time, barIndex);
    }
    return m.price;
  }

  /** Steps the participation cap lets fill against `volume` traded (no cap: unlimited). */
  private budget(volume: number): number {
    const cap = this.participation;
    return cap ? Math.floor((volume * cap.max_pct_of_volume) / 100 / this.instrument.qtyStep + 1e-9) : Infinity;
  }

  /** Steps `order` may fill now. Exits, legs, time stops and the halt's flatten only reduce the position:
   * one that would open the other side is cut to the position, and cancelled when there is nothing left to close. */
  private fillableSteps(order: Order, time: number): number {
    const remaining = remainingSteps(order);
    if (order.role === 'entry' || order.role === 'manual') return remaining;
    const net = this.position.netSteps;
    const closable = (order.side === 'sell' ? net > 0 : net < 0) ? Math.abs(net) : 0;
    if (closable === 0) this.desk.cancel(order, 'reduce_only', time);
    return Math.min(remaining, closable);
  }

  /** Books a fill; returns the bracket legs it placed. */
  private fill(order: Order, ticks: number, steps: number, time: number, barIndex: number): Order[] {
    this.desk.filled(order, steps, time);
    this.ledger.book(order, ticks, steps, time, barIndex);
    const legs =
      order.role === 'entry' && order.bracket ? placeBracketLegs(this.desk, this.placeLeg, this.runId, order, ticks, time) : NO_ORDERS;
    reconcileBracketLegs(this.desk, this.position.netSteps, time);
    return legs;
  }
}

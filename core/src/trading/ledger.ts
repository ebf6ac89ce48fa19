// The ledger: books each fill into the position (FIFO lots), the account (cash, fees) and the round
// trips, and publishes the fill, position, trade and equity-point records.
import { Account } from './account.ts';
import type { EngineEvent } from './engine-events.ts';
import type { ExecutionCosts } from './execution-costs.ts';
import { type Instrument, stepsToQty, tickPrice } from './instrument.ts';
import type { Money } from './money.ts';
import type { Order } from './order.ts';
import { PositionBook } from './position-book.ts';
import { RoundTripTracker } from './round-trip-tracker.ts';

export type EquityPoint = Extract<EngineEvent, { type: 'equity' }>;

/** An equity point the ledger may write into. */
export type MutableEquityPoint = { -readonly [K in keyof EquityPoint]: EquityPoint[K] };

export class Ledger {
  readonly position: PositionBook;
  readonly account: Account;
  readonly trips = new RoundTripTracker();

  constructor(
    private readonly instrument: Instrument,
    private readonly costs: ExecutionCosts,
    startingCapital: Money,
    private readonly emit: (event: EngineEvent) => void,
  ) {
    this.position = new PositionBook(instrument.unitsPerTickStep);
    this.account = new Account(startingCapital, instrument);
  }

  /** Books `steps` of `order` filled at `ticks` (the order's own record is the desk's). */
  book(order: Order, ticks: number, steps: number, time: number, barIndex: number): void {
    const instrument = this.instrument;
    const buy = order.side === 'buy';
    const before = this.position.netSteps;
    const fee = this.costs.fee(ticks, steps);
    const effect = this.position.apply(buy, steps, ticks);
    this.account.applyFill(buy ? steps : -steps, ticks, fee, effect.realized);
    this.emit({
      type: 'fill',
      time,
      fillId: `${order.clientOrderId}#${order.fills}`,
      clientOrderId: order.clientOrderId,
      side: order.side,
      qty: stepsToQty(instrument, steps),
      price: tickPrice(instrument, ticks),
      fee,
      realizedPnl: effect.realized,
    });
    const after = this.position.netSteps;
    this.emit({
      type: 'position',
      time,
      qty: stepsToQty(instrument, after),
      avgPrice: after === 0 ? null : this.position.averageEntryTicks() * instrument.tickSize,
      realizedPnl: this.position.realized,
    });
    const trip = this.trips.onFill(
      before,
      after,
      effect.closedSteps,
      effect.openedSteps,
      ticks,
      effect.realized,
      fee,
      time,
      barIndex,
      order.signalKey,
    );
    if (trip) {
      this.emit({
        type: 'trade',
        time,
        side: trip.long ? 'long' : 'short',
        entryTime: trip.entryTime,
        qty: stepsToQty(instrument, trip.openedSteps),
        entryPrice: (trip.openedCost / trip.openedSteps) * instrument.tickSize,
        exitPrice: (trip.closedCost / trip.closedSteps) * instrument.tickSize,
        pnl: trip.realized - trip.fees,
        fees: trip.fees,
        bars: barIndex - trip.entryBar,
      });
    }
  }

  /** Marks the account at `markTicks` (raising the equity peak) and returns the equity point: a new one, or
   * `into` written over (a backtest reuses one object for its million points). */
  mark(time: number, markTicks: number, into?: MutableEquityPoint): EquityPoint {
    const account = this.account;
    const positionValue = account.positionValue(this.position, markTicks);
    const equity = account.cash + positionValue;
    if (equity > account.peak) account.peak = equity;
    const net = this.position.netSteps;
    const cash = account.cash;
    const unrealizedPnl = this.position.unrealized(markTicks);
    const realizedPnl = this.position.realized;
    const fees = account.fees;
    const marginUsed = account.marginFor(Math.abs(net), markTicks);
    const position = net === 0 ? 0 : stepsToQty(this.instrument, net);
    if (into === undefined) {
      return { type: 'equity', time, cash, equity, positionValue, unrealizedPnl, realizedPnl, fees, marginUsed, position };
    }
    into.time = time;
    into.cash = cash;
    into.equity = equity;
    into.positionValue = positionValue;
    into.unrealizedPnl = unrealizedPnl;
    into.realizedPnl = realizedPnl;
    into.fees = fees;
    into.marginUsed = marginUsed;
    into.position = position;
    return into;
  }
}

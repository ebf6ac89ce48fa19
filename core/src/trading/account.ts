// The run's account: cash, fees, equity and its peak, the session's starting equity, margin used.
//
// Futures: cash moves by realized PnL and fees only (no notional changes hands), so position value is
// the unrealized PnL. Crypto: cash pays the notional of a buy and receives that of a sell, so position
// value is net quantity × mark. Either way equity = cash + position value.
import { type Instrument, notional } from './instrument.ts';
import { assertSafeMoney, type Money } from './money.ts';
import type { PositionBook } from './position-book.ts';

export class Account {
  cash: Money;
  fees: Money = 0;
  /** Highest equity seen at a mark (drawdown reference). */
  peak: Money;
  /** Equity when the current session started (daily loss reference). */
  sessionStart: Money;

  constructor(
    readonly startingCapital: Money,
    private readonly instrument: Instrument,
  ) {
    this.cash = startingCapital;
    this.peak = startingCapital;
    this.sessionStart = startingCapital;
  }

  /** Books a fill: `signedSteps` > 0 bought; `realized` is what it closed (futures cash). */
  applyFill(signedSteps: number, ticks: number, fee: Money, realized: Money): void {
    this.fees += fee;
    this.cash -= fee;
    if (this.instrument.kind === 'future') this.cash += realized;
    else this.cash -= notional(this.instrument, ticks, signedSteps);
    assertSafeMoney(this.cash, 'cash');
  }

  positionValue(book: PositionBook, markTicks: number): Money {
    return this.instrument.kind === 'future' ? book.unrealized(markTicks) : notional(this.instrument, markTicks, book.netSteps);
  }

  equity(book: PositionBook, markTicks: number): Money {
    return this.cash + this.positionValue(book, markTicks);
  }

  /** Margin held for `steps` (absolute) at `markTicks`. */
  marginFor(steps: number, markTicks: number): Money {
    if (this.instrument.kind === 'future') return steps * this.instrument.marginPerStep;
    return Math.ceil(notional(this.instrument, markTicks, steps) / this.instrument.leverage);
  }
}

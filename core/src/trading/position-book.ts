// Net position of one contract as FIFO lots: average entry, realized PnL per closing fill, unrealized at a mark.
import type { Money } from './money.ts';

interface Lot {
  steps: number;
  readonly ticks: number;
}

/** What a fill closed: realized PnL (money) and the steps it closed, and the steps it opened. */
export interface FillEffect {
  readonly realized: Money;
  readonly closedSteps: number;
  readonly openedSteps: number;
}

export class PositionBook {
  /** Signed net position in steps: > 0 long, < 0 short. */
  netSteps = 0;
  /** Realized PnL of all closed lots so far (before fees). */
  realized: Money = 0;
  private lots: Lot[] = [];
  private head = 0;
  /** Σ lot.steps × lot.ticks over open lots (for the average entry and unrealized PnL without a loop). */
  private costTicks = 0;

  constructor(private readonly unitsPerTickStep: Money) {}

  /** Applies a fill of `steps` (> 0) at `ticks`; `buy` adds, sell subtracts; FIFO closes the oldest lots first. */
  apply(buy: boolean, steps: number, ticks: number): FillEffect {
    const sign = buy ? 1 : -1;
    let remaining = steps;
    let realized = 0;
    let closed = 0;
    // Closing: the fill is against the position.
    while (remaining > 0 && this.netSteps !== 0 && Math.sign(this.netSteps) !== sign) {
      const lot = this.lots[this.head]!;
      const take = Math.min(lot.steps, remaining);
      // Long lot sold: (exit − entry); short lot bought back: (entry − exit).
      realized += (buy ? lot.ticks - ticks : ticks - lot.ticks) * take * this.unitsPerTickStep;
      lot.steps -= take;
      this.costTicks -= take * lot.ticks;
      remaining -= take;
      closed += take;
      this.netSteps += sign * take;
      if (lot.steps === 0) this.head++;
    }
    if (this.head > 64 && this.head * 2 > this.lots.length) {
      this.lots = this.lots.slice(this.head);
      this.head = 0;
    }
    if (remaining > 0) {
      this.lots.push({ steps: remaining, ticks });
      this.costTicks += remaining * ticks;
      this.netSteps += sign * remaining;
    }
    this.realized += realized;
    return { realized, closedSteps: closed, openedSteps: remaining };
  }

  /** Unrealized PnL of the open lots at `markTicks`. */
  unrealized(markTicks: number): Money {
    if (this.netSteps === 0) return 0;
    const openSteps = Math.abs(this.netSteps);
    const diff = markTicks * openSteps - this.costTicks;
    return (this.netSteps > 0 ? diff : -diff) * this.unitsPerTickStep;
  }

  /** Average entry price in ticks (fractional), NaN when flat. */
  averageEntryTicks(): number {
    return this.netSteps === 0 ? NaN : this.costTicks / Math.abs(this.netSteps);
  }

  /** The open lots, oldest first (for tests and snapshots of the position row). */
  openLots(): readonly { readonly steps: number; readonly ticks: number }[] {
    return this.lots.slice(this.head).map((l) => ({ steps: l.steps, ticks: l.ticks }));
  }
}

// Round trips: a position from flat (or a reversal) back to flat (or the next reversal) becomes one trade record.
import type { Money } from './money.ts';

export interface RoundTrip {
  readonly long: boolean;
  readonly entryTime: number;
  readonly entryBar: number;
  /** Steps opened and Σ steps × ticks of the opening fills (the average entry). */
  openedSteps: number;
  openedCost: number;
  closedSteps: number;
  closedCost: number;
  realized: Money;
  fees: Money;
  /** The signal that opened it, or null for a manual order. */
  readonly signalKey: string | null;
  /** 1 for the run's first round trip (names its time-stop order). */
  readonly number: number;
  timeStopPlaced: boolean;
}

export class RoundTripTracker {
  current: RoundTrip | null = null;
  private started = 0;

  /** Records a fill's share: call once per fill with the position before and after. */
  onFill(
    before: number,
    after: number,
    closedSteps: number,
    openedSteps: number,
    ticks: number,
    realized: Money,
    fee: Money,
    time: number,
    barIndex: number,
    signalKey: string | null,
  ): RoundTrip | null {
    let finished: RoundTrip | null = null;
    const trip = this.current;
    if (trip && closedSteps > 0) {
      trip.closedSteps += closedSteps;
      trip.closedCost += closedSteps * ticks;
      trip.realized += realized;
      // A reversing fill's fee is split by steps between the trip it ends and the one it starts.
      const share = openedSteps > 0 ? Math.round((fee * closedSteps) / (closedSteps + openedSteps)) : fee;
      trip.fees += share;
      fee -= share;
      if (after === 0 || Math.sign(after) !== Math.sign(before)) {
        finished = trip;
        this.current = null;
      }
    }
    if (openedSteps > 0) {
      if (!this.current) {
        this.current = {
          long: after > 0,
          entryTime: time,
          entryBar: barIndex,
          openedSteps: 0,
          openedCost: 0,
          closedSteps: 0,
          closedCost: 0,
          realized: 0,
          fees: 0,
          signalKey,
          number: ++this.started,
          timeStopPlaced: false,
        };
      }
      this.current.openedSteps += openedSteps;
      this.current.openedCost += openedSteps * ticks;
      this.current.fees += fee;
    }
    return finished;
  }
}

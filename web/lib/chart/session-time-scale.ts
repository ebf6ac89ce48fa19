// The chart's horizontal scale: lightweight-charts' own time scale, with tick mark weights from the
// contract's session calendar (day marks at session boundaries, see session-ticks.ts).
import type { SessionCalendar } from '@barstream/core';
import {
  defaultHorzScaleBehavior,
  type IHorzScaleBehavior,
  type Mutable,
  type Time,
  type TickMarkWeightValue,
  type TimeScalePoint,
} from 'lightweight-charts';
import { fillSessionWeights } from './session-ticks.ts';

export function sessionTimeScale(calendar: SessionCalendar): IHorzScaleBehavior<Time> {
  const TimeScale = defaultHorzScaleBehavior();
  class SessionTimeScale extends TimeScale {
    override fillWeightsForPoints(points: readonly Mutable<TimeScalePoint>[], startIndex: number): void {
      // The chart's times are UTCTimestamps (epoch seconds): originalTime is that number. Read in
      // place: a live update weighs the last point only.
      const timeAt = (i: number): number => (points[i] as TimeScalePoint).originalTime as number;
      fillSessionWeights(points.length, timeAt, startIndex, calendar, (i, weight) => {
        const point = points[i];
        if (point) point.timeWeight = weight as TickMarkWeightValue;
      });
    }
  }
  return new SessionTimeScale();
}

// Which candle a live trade belongs to: the contract's session calendar decides when there is one;
// without it only the last candle's own span is known (and only for fixed-length timeframes).
import { fixedLengthMs, SessionCalendar, type SessionCalendarSpec, type Timeframe } from '@barstream/core';
import type { UTCTimestamp } from 'lightweight-charts';
import type { Candle } from './candle-merge.ts';
import { asTime } from './wire-candle.ts';

export class TradeBuckets {
  private readonly calendar: SessionCalendar | null;

  constructor(
    private readonly tf: Timeframe,
    calendar: SessionCalendarSpec | null,
  ) {
    this.calendar = calendar ? new SessionCalendar(calendar) : null;
  }

  /** Open time of the bucket a trade at `ms` belongs to, in chart seconds. */
  bucketOf(ms: number, last: Candle | undefined): UTCTimestamp | undefined {
    if (!Number.isFinite(ms)) return undefined;
    if (this.calendar) return asTime(this.calendar.bucket(ms, this.tf).time);
    const length = fixedLengthMs(this.tf);
    if (!last || length === undefined) return undefined;
    const start = last.time * 1000;
    return ms >= start && ms < start + length ? last.time : undefined;
  }
}
